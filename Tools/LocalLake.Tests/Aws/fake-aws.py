#!/usr/bin/env python3
"""A stand-in for the AWS CLI, for EvaluateReleaseScriptTests: only the subcommands evaluate-release.sh calls, with the
output shapes and failures the AWS CLI v2 documents, over local folders.

  FAKE_AWS_S3      folder of buckets: s3://B/K is $FAKE_AWS_S3/B/K
  FAKE_AWS_TABLES  folder of tables as Athena sees them: <table>/dt=<day>/<file>.parquet (partition column out of the file)
  FAKE_AWS_STATE   folder for query states and calls.log (one line per call)
  FAKE_AWS_ATHENA  optional: "fail" makes every query FAILED; "slow" keeps it RUNNING forever

Athena's UNLOAD is done here as Athena would for the one statement the script sends: the partitions of the named table
with dt in [lower, upper) copied under the TO prefix as dt=<day>/<name without extension>; a prefix that holds data is
refused (Athena: HIVE_PATH_ALREADY_EXISTS). Anything else exits 252 (the CLI's "bad arguments"), so a test fails on it.
"""
import json
import os
import re
import shutil
import sys
import uuid

S3 = os.environ["FAKE_AWS_S3"]
TABLES = os.environ["FAKE_AWS_TABLES"]
STATE = os.environ["FAKE_AWS_STATE"]


def out(value):
    print(json.dumps(value, indent=4))


def error(code, operation, message, status=254):
    # The CLI's service error line on stderr; exit 254 for a service error (AWS CLI v2 return codes).
    sys.stderr.write(f"\nAn error occurred ({code}) when calling the {operation} operation: {message}\n")
    sys.exit(status)


def unsupported(args):
    sys.stderr.write(f"fake-aws: unsupported: {' '.join(args)}\n")
    sys.exit(252)


FLAGS = {"recursive", "only-show-errors", "no-cli-pager"}


def options(args):
    """--name value pairs (and the CLI's bare flags as True) after the subcommand."""
    found, positional, i = {}, [], 0
    while i < len(args):
        a = args[i]
        if a.startswith("--"):
            if a[2:] not in FLAGS and i + 1 < len(args):
                found[a[2:]] = args[i + 1]
                i += 2
            else:
                found[a[2:]] = True
                i += 1
        else:
            positional.append(a)
            i += 1
    return found, positional


def local(uri):
    m = re.fullmatch(r"s3://([^/]+)/?(.*)", uri)
    return (os.path.join(S3, m.group(1), m.group(2)), m.group(1), m.group(2)) if m else None


def s3_cp(opts, pos):
    src, dst = pos
    s, d = local(src), local(dst)
    if opts.get("recursive"):
        if s and not d:
            # Every object under the prefix; nothing there copies nothing and succeeds, as the CLI does.
            if os.path.isdir(s[0]):
                for root, _, files in os.walk(s[0]):
                    for f in files:
                        rel = os.path.relpath(os.path.join(root, f), s[0])
                        os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
                        shutil.copyfile(os.path.join(root, f), os.path.join(dst, rel))
            return
        unsupported(["s3", "cp", "--recursive", src, dst])
    if s and dst == "-":
        if not os.path.isfile(s[0]):
            sys.stderr.write(f"fatal error: An error occurred (404) when calling the HeadObject operation: Key \"{s[2]}\" does not exist\n")
            sys.exit(1)
        with open(s[0], "rb") as f:
            sys.stdout.buffer.write(f.read())
        return
    unsupported(["s3", "cp", src, dst])


def object_path(opts):
    return os.path.join(S3, opts["bucket"], opts["key"])


def s3api(sub, opts):
    if sub == "head-object":
        path = object_path(opts)
        if not os.path.isfile(path):
            error("404", "HeadObject", "Not Found")
        out({"ContentLength": os.path.getsize(path), "ContentType": "binary/octet-stream"})
    elif sub == "list-objects-v2":
        root = os.path.join(S3, opts["bucket"])
        keys = sorted(os.path.relpath(os.path.join(r, f), root) for r, _, fs in os.walk(root) for f in fs)
        keys = [k for k in keys if k.startswith(opts.get("prefix", ""))]
        # No "Contents" at all when nothing matches (the CLI prints the response as S3 returns it).
        result = {"Prefix": opts.get("prefix", "")}
        if keys:
            result["Contents"] = [{"Key": k, "Size": os.path.getsize(os.path.join(root, k))} for k in keys]
        out(result)
    elif sub == "put-object":
        path = object_path(opts)
        if opts.get("if-none-match") == "*" and os.path.exists(path):
            error("PreconditionFailed", "PutObject", "At least one of the pre-conditions you specified did not hold")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copyfile(opts["body"], path)
        out({"ETag": f"\"{uuid.uuid4().hex}\""})
    else:
        unsupported(["s3api", sub])


UNLOAD = re.compile(
    r"UNLOAD \(SELECT (?P<columns>.+?) FROM (?P<table>\w+)\s+WHERE dt >= '(?P<lower>[\d-]+)' AND dt < '(?P<upper>[\d-]+)'\)\s*"
    r"TO 's3://(?P<bucket>[^/]+)/(?P<prefix>[^']+)' WITH \(format = 'PARQUET', partitioned_by = ARRAY\['dt'\]\)", re.S)


def athena(sub, opts):
    if sub == "start-query-execution":
        query_id = str(uuid.uuid4())
        m = UNLOAD.fullmatch(opts["query-string"].strip())
        state = {"Query": opts["query-string"], "WorkGroup": opts["work-group"], "Context": opts["query-execution-context"], "Polls": 0}
        if not m:
            state.update(State="FAILED", Reason="fake-aws: not the evaluation's UNLOAD")
        elif os.environ.get("FAKE_AWS_ATHENA") == "fail":
            state.update(State="FAILED", Reason="TABLE_NOT_FOUND: line 1:1: Table 'curated_readings' does not exist")
        else:
            target = os.path.join(S3, m.group("bucket"), m.group("prefix"))
            if os.path.isdir(target) and any(files for _, _, files in os.walk(target)):
                state.update(State="FAILED", Reason="HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists")
            else:
                state["State"] = "SUCCEEDED"
                for part in sorted(os.listdir(os.path.join(TABLES, m.group("table")))):
                    day = part.removeprefix("dt=")
                    if m.group("lower") <= day < m.group("upper"):
                        os.makedirs(os.path.join(target, part), exist_ok=True)
                        for n, f in enumerate(sorted(os.listdir(os.path.join(TABLES, m.group("table"), part)))):
                            shutil.copyfile(os.path.join(TABLES, m.group("table"), part, f),
                                            os.path.join(target, part, f"{query_id}_{n:05d}"))
        with open(os.path.join(STATE, query_id + ".json"), "w") as f:
            json.dump(state, f)
        out({"QueryExecutionId": query_id})
    elif sub == "get-query-execution":
        query_id = opts["query-execution-id"]
        path = os.path.join(STATE, query_id + ".json")
        if not os.path.isfile(path):
            error("InvalidRequestException", "GetQueryExecution", f"QueryExecution {query_id} was not found")
        with open(path) as f:
            state = json.load(f)
        state["Polls"] += 1
        with open(path, "w") as f:
            json.dump(state, f)
        # One poll sees it RUNNING first, as a real query is; "slow" keeps it there.
        current = "RUNNING" if state["Polls"] == 1 or os.environ.get("FAKE_AWS_ATHENA") == "slow" else state["State"]
        status = {"State": current, "SubmissionDateTime": "2026-12-07T23:00:00.000000+00:00"}
        if current == "FAILED":
            status["StateChangeReason"] = state["Reason"]
        out({"QueryExecution": {"QueryExecutionId": query_id, "Query": state["Query"], "StatementType": "DML",
                                "WorkGroup": state["WorkGroup"], "Status": status}})
    else:
        unsupported(["athena", sub])


def main(argv):
    with open(os.path.join(STATE, "calls.log"), "a") as log:
        log.write(" ".join(argv) + "\n")
    if len(argv) < 2:
        unsupported(argv)
    service, sub = argv[0], argv[1]
    opts, pos = options(argv[2:])
    if opts.get("output", "json") != "json":
        unsupported(argv)
    if service == "s3" and sub == "cp" and len(pos) == 2:
        s3_cp(opts, pos)
    elif service == "s3api":
        s3api(sub, opts)
    elif service == "athena":
        athena(sub, opts)
    else:
        unsupported(argv)


main(sys.argv[1:])
