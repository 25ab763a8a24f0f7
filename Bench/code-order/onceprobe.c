// onceprobe: runs a program under ptrace with a one-shot breakpoint (int3) at each given offset of its executable and
// writes each offset the first time any thread reaches it, in order of first arrival.
//   onceprobe OFFSETS OUT SECONDS -- PROGRAM [ARGS...]
// OFFSETS: one hexadecimal offset (from the executable's load base) per line. After SECONDS the program gets SIGTERM.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct { unsigned long addr; unsigned char orig; int hit; } bp_t;
static bp_t *bps; static size_t nbps;

static int cmp(const void *a, const void *b) {
    unsigned long x = ((const bp_t *)a)->addr, y = ((const bp_t *)b)->addr;
    return x < y ? -1 : x > y;
}
static bp_t *find(unsigned long addr) {
    size_t lo = 0, hi = nbps;
    while (lo < hi) { size_t mid = (lo + hi) / 2; if (bps[mid].addr < addr) lo = mid + 1; else hi = mid; }
    return lo < nbps && bps[lo].addr == addr ? &bps[lo] : NULL;
}

int main(int argc, char **argv) {
    if (argc < 6 || strcmp(argv[4], "--")) { fprintf(stderr, "usage: onceprobe OFFSETS OUT SECONDS -- PROGRAM [ARGS]\n"); return 2; }
    FILE *in = fopen(argv[1], "r"); if (!in) { perror(argv[1]); return 2; }
    size_t cap = 65536; bps = calloc(cap, sizeof *bps); unsigned long off;
    while (fscanf(in, "%lx", &off) == 1) {
        if (nbps == cap) bps = realloc(bps, (cap *= 2) * sizeof *bps);
        bps[nbps++].addr = off;
    }
    fclose(in);
    qsort(bps, nbps, sizeof *bps, cmp);
    size_t u = 0; for (size_t i = 0; i < nbps; i++) if (!u || bps[u - 1].addr != bps[i].addr) bps[u++] = bps[i];
    nbps = u;
    FILE *out = fopen(argv[2], "w"); if (!out) { perror(argv[2]); return 2; }
    int seconds = atoi(argv[3]);

    pid_t child = fork();
    if (child == 0) { ptrace(PTRACE_TRACEME, 0, 0, 0); raise(SIGSTOP); execv(argv[5], argv + 5); perror("execv"); _exit(127); }
    int status; waitpid(child, &status, 0);
    ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
    ptrace(PTRACE_CONT, child, 0, 0);
    waitpid(child, &status, 0);
    if (!(WIFSTOPPED(status) && status >> 16 == PTRACE_EVENT_EXEC)) { fprintf(stderr, "no exec stop\n"); return 1; }

    // The executable's load base: its first mapping (offset 0) in /proc/PID/maps.
    char path[64], line[512], exe[512]; snprintf(path, sizeof path, "/proc/%d/exe", child);
    ssize_t n = readlink(path, exe, sizeof exe - 1); exe[n < 0 ? 0 : n] = 0;
    snprintf(path, sizeof path, "/proc/%d/maps", child);
    FILE *maps = fopen(path, "r"); unsigned long base = 0;
    while (fgets(line, sizeof line, maps)) {
        unsigned long lo, fo; char name[400] = "";
        if (sscanf(line, "%lx-%*lx %*s %lx %*s %*s %399s", &lo, &fo, name) >= 2 && fo == 0 && !strcmp(name, exe)) { base = lo; break; }
    }
    fclose(maps);
    snprintf(path, sizeof path, "/proc/%d/mem", child);
    int mem = open(path, O_RDWR);
    unsigned char cc = 0xCC;
    for (size_t i = 0; i < nbps; i++) {
        bps[i].addr += base;
        if (pread(mem, &bps[i].orig, 1, bps[i].addr) != 1 || pwrite(mem, &cc, 1, bps[i].addr) != 1) { perror("mem"); return 1; }
    }
    fprintf(stderr, "onceprobe: %zu breakpoints in %s at base %lx\n", nbps, exe, base);
    time_t end = time(NULL) + seconds; int termed = 0; size_t hits = 0;
    ptrace(PTRACE_CONT, child, 0, 0);
    for (;;) {
        if (!termed && time(NULL) >= end) { kill(child, SIGTERM); termed = 1; }
        pid_t t = waitpid(-1, &status, __WALL | (termed ? 0 : WNOHANG));
        if (t == 0) { usleep(1000); continue; }
        if (t < 0) { if (errno == EINTR) continue; break; }
        if (WIFEXITED(status) || WIFSIGNALED(status)) { if (t == child) break; continue; }
        if (!WIFSTOPPED(status)) continue;
        int sig = WSTOPSIG(status), event = status >> 16, deliver = 0;
        if (event) deliver = 0;                                    // clone/exec event stops: nothing to deliver
        else if (sig == SIGTRAP) {
            struct user_regs_struct regs; ptrace(PTRACE_GETREGS, t, 0, &regs);
            bp_t *b = find(regs.rip - 1);
            if (b) {
                // Another thread may have trapped on it before it was restored: rewind in every case.
                if (!b->hit) { b->hit = 1; hits++; pwrite(mem, &b->orig, 1, b->addr); fprintf(out, "%lx\n", b->addr - base); }
                regs.rip -= 1; ptrace(PTRACE_SETREGS, t, 0, &regs);
            } else deliver = sig;
        } else if (sig == SIGSTOP) deliver = 0;                    // a new thread's first stop
        else deliver = sig;                                        // the runtime's own signals (GC suspension, faults)
        ptrace(PTRACE_CONT, t, 0, deliver);
    }
    fclose(out);
    fprintf(stderr, "onceprobe: %zu of %zu reached\n", hits, nbps);
    return 0;
}
