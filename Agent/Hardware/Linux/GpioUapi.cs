namespace ShelfAgent.Hardware.Linux;

/// <summary>Constants of the GPIO character device ABI v2 (include/uapi/linux/gpio.h).</summary>
internal static unsafe class GpioUapi
{
    public const int MaxNameSize = 32;      // GPIO_MAX_NAME_SIZE
    public const int LinesMax = 64;         // GPIO_V2_LINES_MAX
    public const int NumAttrsMax = 10;      // GPIO_V2_LINE_NUM_ATTRS_MAX

    // enum gpio_v2_line_flag
    public const ulong FlagActiveLow = 1UL << 1;
    public const ulong FlagInput = 1UL << 2;
    public const ulong FlagOutput = 1UL << 3;
    public const ulong FlagBiasPullUp = 1UL << 8;
    public const ulong FlagBiasPullDown = 1UL << 9;
    public const ulong FlagBiasDisabled = 1UL << 10;

    // enum gpio_v2_line_attr_id
    public const uint AttrIdFlags = 1;
    public const uint AttrIdOutputValues = 2;

    private const uint Magic = 0xB4;

    /// <summary>GPIO_GET_CHIPINFO_IOCTL = _IOR(0xB4, 0x01, struct gpiochip_info).</summary>
    public static uint GetChipInfo => IoctlNumber.IoR(Magic, 0x01, sizeof(GpioChipInfo));

    /// <summary>GPIO_V2_GET_LINE_IOCTL = _IOWR(0xB4, 0x07, struct gpio_v2_line_request).</summary>
    public static uint GetLine => IoctlNumber.IoWR(Magic, 0x07, sizeof(GpioV2LineRequest));

    /// <summary>GPIO_V2_LINE_SET_CONFIG_IOCTL = _IOWR(0xB4, 0x0D, struct gpio_v2_line_config).</summary>
    public static uint SetConfig => IoctlNumber.IoWR(Magic, 0x0D, sizeof(GpioV2LineConfig));

    /// <summary>GPIO_V2_LINE_GET_VALUES_IOCTL = _IOWR(0xB4, 0x0E, struct gpio_v2_line_values).</summary>
    public static uint GetValues => IoctlNumber.IoWR(Magic, 0x0E, sizeof(GpioV2LineValues));

    /// <summary>GPIO_V2_LINE_SET_VALUES_IOCTL = _IOWR(0xB4, 0x0F, struct gpio_v2_line_values).</summary>
    public static uint SetValues => IoctlNumber.IoWR(Magic, 0x0F, sizeof(GpioV2LineValues));
}
