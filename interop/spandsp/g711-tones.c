/*
 * g711-tones: SpanDSP's G.711 coder and its modem connect tone (CNG, CED/ANS) generator and detector, driven on
 * linear samples through pipes, the reference faxd's audio/ tests compare against (G.711; T.30 §5.2 CNG and CED).
 *
 * usage: g711-tones tables
 *          writes linear_to_ulaw of every input -32768..32767 (65 536 octets), then linear_to_alaw of the same,
 *          then ulaw_to_linear and alaw_to_linear of every code 0..255 (256 int16 little-endian each)
 *        g711-tones tone-tx cng|ced SAMPLES
 *          writes SAMPLES samples (int16 little-endian) of modem_connect_tones_tx for the tone
 *        g711-tones tone-rx cng|ced
 *          reads int16 little-endian samples from stdin into modem_connect_tones_rx, 160 at a time, and prints one
 *          line per report: "<code> <level> <samples fed when reported>" (code: SpanDSP's MODEM_CONNECT_TONES_*,
 *          0 when the tone stops), then "end <samples fed>"
 * Exit status: 0, or 2 on a usage or system error.
 *
 * Build: gcc -O2 -o g711-tones g711-tones.c -lspandsp -lm
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp.h>

static long fed = 0;

static int usage(void)
{
    fprintf(stderr, "usage: g711-tones tables | tone-tx cng|ced SAMPLES | tone-rx cng|ced\n");
    return 2;
}

static int tone_type(const char *name)
{
    if (strcmp(name, "cng") == 0)
        return MODEM_CONNECT_TONES_FAX_CNG;
    if (strcmp(name, "ced") == 0)
        return MODEM_CONNECT_TONES_FAX_CED;
    return -1;
}

static void put_int16(int16_t value)
{
    uint8_t bytes[2] = { (uint8_t) (value & 0xff), (uint8_t) ((value >> 8) & 0xff) };
    fwrite(bytes, 1, 2, stdout);
}

static int tables(void)
{
    for (int x = -32768; x <= 32767; x++)
        putchar(linear_to_ulaw(x));
    for (int x = -32768; x <= 32767; x++)
        putchar(linear_to_alaw(x));
    for (int c = 0; c < 256; c++)
        put_int16(ulaw_to_linear((uint8_t) c));
    for (int c = 0; c < 256; c++)
        put_int16(alaw_to_linear((uint8_t) c));
    return 0;
}

static int tone_tx(int type, long samples)
{
    modem_connect_tones_tx_state_t *s = modem_connect_tones_tx_init(NULL, type);
    int16_t amp[160];
    if (s == NULL)
        return 2;
    while (samples > 0)
    {
        int len = samples < 160 ? (int) samples : 160;
        int n = modem_connect_tones_tx(s, amp, len);
        /* Past the tone's end the generator produces nothing: the line is silent. */
        for (int i = n; i < len; i++)
            amp[i] = 0;
        for (int i = 0; i < len; i++)
            put_int16(amp[i]);
        samples -= len;
    }
    modem_connect_tones_tx_free(s);
    return 0;
}

static void report(void *user_data, int code, int level, int delay)
{
    (void) user_data;
    (void) delay;
    printf("%d %d %ld\n", code, level, fed);
}

static int tone_rx(int type)
{
    modem_connect_tones_rx_state_t *s = modem_connect_tones_rx_init(NULL, type, report, NULL);
    uint8_t bytes[320];
    int16_t amp[160];
    size_t got;
    if (s == NULL)
        return 2;
    while ((got = fread(bytes, 2, 160, stdin)) > 0)
    {
        for (size_t i = 0; i < got; i++)
            amp[i] = (int16_t) (bytes[2*i] | (bytes[2*i + 1] << 8));
        fed += (long) got;
        modem_connect_tones_rx(s, amp, (int) got);
    }
    printf("end %ld\n", fed);
    modem_connect_tones_rx_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "tables") == 0)
        return tables();
    if (argc == 4 && strcmp(argv[1], "tone-tx") == 0 && tone_type(argv[2]) >= 0)
        return tone_tx(tone_type(argv[2]), strtol(argv[3], NULL, 10));
    if (argc == 3 && strcmp(argv[1], "tone-rx") == 0 && tone_type(argv[2]) >= 0)
        return tone_rx(tone_type(argv[2]));
    return usage();
}
