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
 *        g711-tones bench-g711 ROUNDS
 *        g711-tones bench-tone-rx cng|ced ROUNDS
 *          read int16 little-endian samples from stdin, then ROUNDS times code them to µ-law and A-law and back
 *          (160 at a time), or run a fresh detector over them; print {"cpuSeconds":…,"check":…} with the CPU time of
 *          the rounds alone (check: a sum of the outputs, so the work cannot be optimised away)
 * Exit status: 0, or 2 on a usage or system error.
 *
 * Build: gcc -O2 -o g711-tones g711-tones.c -lspandsp -lm
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <spandsp.h>

static long fed = 0;

static int usage(void)
{
    fprintf(stderr, "usage: g711-tones tables | tone-tx cng|ced SAMPLES | tone-rx cng|ced | bench-g711 ROUNDS"
                    " | bench-tone-rx cng|ced ROUNDS\n");
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

/* All of stdin as samples; *count gets their number. */
static int16_t *read_samples(long *count)
{
    size_t size = 0;
    size_t capacity = 1 << 20;
    uint8_t *bytes = malloc(capacity);
    size_t got;
    while (bytes != NULL && (got = fread(bytes + size, 1, capacity - size, stdin)) > 0)
    {
        size += got;
        if (size == capacity)
            bytes = realloc(bytes, capacity *= 2);
    }
    if (bytes == NULL)
        return NULL;
    int16_t *samples = malloc((size / 2 + 1)*sizeof(int16_t));
    for (size_t i = 0; samples != NULL && i < size / 2; i++)
        samples[i] = (int16_t) (bytes[2*i] | (bytes[2*i + 1] << 8));
    free(bytes);
    *count = (long) (size / 2);
    return samples;
}

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec*1e-9;
}

static int bench_g711(long rounds)
{
    long count;
    int16_t *samples = read_samples(&count);
    uint8_t *codes = malloc(count + 1);
    int16_t *linear = malloc((count + 1)*sizeof(int16_t));
    long check = 0;
    if (samples == NULL || codes == NULL || linear == NULL || count == 0)
        return 2;
    double start = cpu_seconds();
    for (long r = 0; r < rounds; r++)
    {
        /* Packet by packet, as a media stream is coded. */
        for (long at = 0; at + 160 <= count; at += 160)
        {
            for (int i = 0; i < 160; i++)
                codes[at + i] = linear_to_ulaw(samples[at + i]);
            for (int i = 0; i < 160; i++)
                linear[at + i] = ulaw_to_linear(codes[at + i]);
        }
        check += linear[(r*7919) % count];
        for (long at = 0; at + 160 <= count; at += 160)
        {
            for (int i = 0; i < 160; i++)
                codes[at + i] = linear_to_alaw(samples[at + i]);
            for (int i = 0; i < 160; i++)
                linear[at + i] = alaw_to_linear(codes[at + i]);
        }
        check += linear[(r*7919) % count];
    }
    printf("{\"cpuSeconds\":%.6f,\"check\":%ld}\n", cpu_seconds() - start, check);
    free(samples);
    free(codes);
    free(linear);
    return 0;
}

static void count_report(void *user_data, int code, int level, int delay)
{
    (void) level;
    (void) delay;
    *(long *) user_data += code;
}

static int bench_tone_rx(int type, long rounds)
{
    long count;
    int16_t *samples = read_samples(&count);
    long check = 0;
    if (samples == NULL)
        return 2;
    double start = cpu_seconds();
    for (long r = 0; r < rounds; r++)
    {
        modem_connect_tones_rx_state_t *s = modem_connect_tones_rx_init(NULL, type, count_report, &check);
        for (long at = 0; at + 160 <= count; at += 160)
            modem_connect_tones_rx(s, samples + at, 160);
        modem_connect_tones_rx_free(s);
    }
    printf("{\"cpuSeconds\":%.6f,\"check\":%ld}\n", cpu_seconds() - start, check);
    free(samples);
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
    if (argc == 3 && strcmp(argv[1], "bench-g711") == 0)
        return bench_g711(strtol(argv[2], NULL, 10));
    if (argc == 4 && strcmp(argv[1], "bench-tone-rx") == 0 && tone_type(argv[2]) >= 0)
        return bench_tone_rx(tone_type(argv[2]), strtol(argv[3], NULL, 10));
    return usage();
}
