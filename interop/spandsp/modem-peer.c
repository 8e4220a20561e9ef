/*
 * modem-peer: SpanDSP's fax modems (V.21 channel 2, V.27ter, V.29, V.17) on linear 16-bit samples through pipes, the
 * reference faxd's own modems are tested and benchmarked against (audio-fax reference §6.1).
 *
 * usage: modem-peer tx|rx --modem v21|v27ter|v29|v17 [--rate BITS] [options]
 *
 *   tx                   stdin: the bits to send, one byte per bit (0/1 or '0'/'1'); stdout: s16le samples at 8 kHz:
 *                        the modem's own training, the bits, then its shutdown. With --hdlc, stdin is frames instead
 *                        (each a 2-byte big-endian length, then the octets, LSB first on the line as SpanDSP stores
 *                        them), sent after --preamble flags with SpanDSP's HDLC transmitter, then 2 closing flags.
 *   rx                   stdin: s16le samples at 8 kHz; stdout: one JSON object a line (below).
 *   --modem M            v21 (channel 2, 300 bit/s), v27ter (2400/4800), v29 (4800/7200/9600),
 *                        v17 (7200/9600/12000/14400)
 *   --rate BITS          bit rate (default: the modem's highest)
 *   --bursts N           tx: send the input N times, each burst with the modem restarted (its training again), with
 *                        --gap samples of silence between bursts (default 600, T.30's 75 ms)
 *   --short-train        tx, V.17: bursts after the first train short, as T.30 sends a page after TCF (the receiver
 *                        trains short by itself after a successful long train)
 *   --lose AT:COUNT      rx: samples AT … AT+COUNT−1 of the input are lost: the modem's fill-in stands in for them
 *                        (repeatable, in increasing order)
 *   --power DBM0         tx: signal level (default SpanDSP's, -14 dBm0 for the fax modems)
 *   --hdlc               frames instead of bits, through SpanDSP's HDLC transmitter/receiver (CRC-16)
 *   --preamble N         tx with --hdlc: flag octets before the first frame (default 32)
 *   --chunk N            samples per call into the modem (default 160)
 *
 * rx output lines, `sample` being the number of samples fed (or filled in) when the event was reported, at the end of
 * the chunk that raised it:
 *   {"status":"carrier-up"|"carrier-down"|"training-in-progress"|"training-succeeded"|"training-failed"|
 *    "framing-ok"|"abort"|"other","code":-2,"sample":N}
 *   {"bits":"0110…","sample":N}              (bits mode: the bits decoded since the previous line)
 *   {"frame":"hex","ok":true,"sample":N}     (hdlc mode: a frame without CRC, octets as SpanDSP stores them)
 *   {"end":true,"samples":N,"bitCount":N,"cpuSeconds":S,"carrierHz":F,"powerDbm0":F}   (always last)
 * tx writes {"end":true,"samples":N,"bitCount":N,"cpuSeconds":S} on stderr when done. cpuSeconds is the process CPU time
 * of the loop that calls SpanDSP's modem (input already in memory, output kept there until after), for benchmarks.
 * Exit status: 0 when done, 2 on a usage or system error.
 *
 * Build: gcc -O2 -o modem-peer modem-peer.c -lspandsp -lm (the tests do this through testing/c-peer-build.ts)
 */

#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <spandsp.h>

#define MAX_CHUNK 8000

enum modem_kind { MODEM_V21, MODEM_V27TER, MODEM_V29, MODEM_V17 };

static enum modem_kind modem = MODEM_V21;
static int rate = 0;
static int short_train = 0;
static int bursts = 1;
static int gap = 600;

#define MAX_LOSSES 64
static long loss_at[MAX_LOSSES];
static long loss_count[MAX_LOSSES];
static int losses = 0;
static int hdlc_mode = 0;
static int preamble_flags = 32;
static int chunk = 160;
static int have_power = 0;
static float power_dbm0 = -14.0f;

static double cpu_seconds = 0.0;

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *message)
{
    fprintf(stderr, "modem-peer: %s\n", message);
    exit(2);
}

/* The whole of stdin. */
static uint8_t *read_all(size_t *length)
{
    size_t size = 1 << 16;
    size_t used = 0;
    uint8_t *buffer = malloc(size);
    if (buffer == NULL)
        die("out of memory");
    for (;;)
    {
        if (used == size)
        {
            size *= 2;
            if ((buffer = realloc(buffer, size)) == NULL)
                die("out of memory");
        }
        ssize_t n = read(0, buffer + used, size - used);
        if (n < 0)
            die("reading stdin failed");
        if (n == 0)
            break;
        used += (size_t) n;
    }
    *length = used;
    return buffer;
}

static void write_all(const void *data, size_t length)
{
    const uint8_t *p = data;
    while (length > 0)
    {
        ssize_t n = write(1, p, length);
        if (n <= 0)
            die("writing stdout failed");
        p += n;
        length -= (size_t) n;
    }
}

/* ---- transmit ---------------------------------------------------------------------------------------------------- */

static const uint8_t *tx_input;
static size_t tx_input_length;
static size_t tx_input_at;
static long tx_bits;

static hdlc_tx_state_t *hdlc_tx;
/* Bits still to send after the last frame left the HDLC transmitter (its closing flags), or -1 while frames remain. */
static int hdlc_tail_bits = -1;

static int next_frame(void)
{
    if (tx_input_at + 2 > tx_input_length)
        return 0;
    size_t length = ((size_t) tx_input[tx_input_at] << 8) | tx_input[tx_input_at + 1];
    if (tx_input_at + 2 + length > tx_input_length)
        die("truncated frame on stdin");
    if (hdlc_tx_frame(hdlc_tx, tx_input + tx_input_at + 2, length) < 0)
        die("SpanDSP's HDLC transmitter refused a frame");
    tx_input_at += 2 + length;
    return 1;
}

static void hdlc_underflow(void *user_data)
{
    (void) user_data;
    /* Two closing flags after the last frame, as T.30 asks; the transmitter idles on flags meanwhile. */
    if (!next_frame() && hdlc_tail_bits < 0)
        hdlc_tail_bits = 16;
}

static int tx_get_bit(void *user_data)
{
    (void) user_data;
    if (hdlc_mode)
    {
        if (hdlc_tail_bits == 0)
            return SIG_STATUS_END_OF_DATA;
        if (hdlc_tail_bits > 0)
            hdlc_tail_bits--;
        tx_bits++;
        return hdlc_tx_get_bit(hdlc_tx);
    }
    if (tx_input_at >= tx_input_length)
        return SIG_STATUS_END_OF_DATA;
    tx_bits++;
    return tx_input[tx_input_at++] & 1;
}

static int tx_done = 0;

static void tx_status(void *user_data, int status)
{
    (void) user_data;
    if (status == SIG_STATUS_SHUTDOWN_COMPLETE)
        tx_done = 1;
}

static int run_tx(void)
{
    tx_input = read_all(&tx_input_length);
    fsk_tx_state_t *fsk = NULL;
    v27ter_tx_state_t *v27ter = NULL;
    v29_tx_state_t *v29 = NULL;
    v17_tx_state_t *v17 = NULL;
    if (hdlc_mode)
        hdlc_tx = hdlc_tx_init(NULL, 0, 1, 0, hdlc_underflow, NULL);
    switch (modem)
    {
    case MODEM_V21:
        fsk = fsk_tx_init(NULL, &preset_fsk_specs[FSK_V21CH2], tx_get_bit, NULL);
        fsk_tx_set_modem_status_handler(fsk, tx_status, NULL);
        break;
    case MODEM_V27TER:
        v27ter = v27ter_tx_init(NULL, rate, 0, tx_get_bit, NULL);
        v27ter_tx_set_modem_status_handler(v27ter, tx_status, NULL);
        break;
    case MODEM_V29:
        v29 = v29_tx_init(NULL, rate, 0, tx_get_bit, NULL);
        v29_tx_set_modem_status_handler(v29, tx_status, NULL);
        break;
    case MODEM_V17:
        v17 = v17_tx_init(NULL, rate, 0, tx_get_bit, NULL);
        v17_tx_set_modem_status_handler(v17, tx_status, NULL);
        break;
    }
    /* The samples are kept in memory and written at the end, so the CPU time measured is the modem's alone. */
    size_t size = 8000 * 16;
    size_t samples = 0;
    int16_t *amp = malloc(size * sizeof(int16_t));
    if (amp == NULL)
        die("out of memory");
    double start = cpu_now();
    for (int burst = 0; burst < bursts; burst++)
    {
        if (burst > 0)
        {
            if (samples + (size_t) gap > size)
            {
                size = 2 * (samples + (size_t) gap);
                if ((amp = realloc(amp, size * sizeof(int16_t))) == NULL)
                    die("out of memory");
            }
            memset(amp + samples, 0, (size_t) gap * sizeof(int16_t));
            samples += (size_t) gap;
            tx_input_at = 0;
            tx_done = 0;
            switch (modem)
            {
            case MODEM_V21: fsk_tx_restart(fsk, &preset_fsk_specs[FSK_V21CH2]); break;
            case MODEM_V27TER: v27ter_tx_restart(v27ter, rate, 0); break;
            case MODEM_V29: v29_tx_restart(v29, rate, 0); break;
            case MODEM_V17: v17_tx_restart(v17, rate, 0, short_train); break;
            }
        }
        /* Restarts reset the level, so it is set for every burst. */
        if (have_power)
        {
            switch (modem)
            {
            case MODEM_V21: fsk_tx_power(fsk, power_dbm0); break;
            case MODEM_V27TER: v27ter_tx_power(v27ter, power_dbm0); break;
            case MODEM_V29: v29_tx_power(v29, power_dbm0); break;
            case MODEM_V17: v17_tx_power(v17, power_dbm0); break;
            }
        }
        if (hdlc_mode)
        {
            hdlc_tx_restart(hdlc_tx);
            hdlc_tail_bits = -1;
            hdlc_tx_flags(hdlc_tx, preamble_flags);
            if (!next_frame())
                hdlc_tail_bits = 16;
        }
        while (!tx_done)
        {
            if (samples + (size_t) chunk > size)
            {
                size *= 2;
                if ((amp = realloc(amp, size * sizeof(int16_t))) == NULL)
                    die("out of memory");
            }
            int n = 0;
            switch (modem)
            {
            case MODEM_V21: n = fsk_tx(fsk, amp + samples, chunk); break;
            case MODEM_V27TER: n = v27ter_tx(v27ter, amp + samples, chunk); break;
            case MODEM_V29: n = v29_tx(v29, amp + samples, chunk); break;
            case MODEM_V17: n = v17_tx(v17, amp + samples, chunk); break;
            }
            if (n > 0)
                samples += (size_t) n;
            /* A shortfall means the modem has finished (SpanDSP's fast modems return 0 once shut down). */
            if (n < chunk)
                break;
        }
    }
    cpu_seconds = cpu_now() - start;
    write_all(amp, samples * sizeof(int16_t));
    fprintf(stderr, "{\"end\":true,\"samples\":%zu,\"bitCount\":%ld,\"cpuSeconds\":%.6f}\n", samples, tx_bits, cpu_seconds);
    return 0;
}

/* ---- receive ----------------------------------------------------------------------------------------------------- */

static long rx_samples;
static long rx_bits;
static char *pending_bits;
static size_t pending_count;
static size_t pending_size;
static hdlc_rx_state_t *hdlc_rx;

static void flush_bits(void)
{
    if (pending_count == 0)
        return;
    printf("{\"bits\":\"%.*s\",\"sample\":%ld}\n", (int) pending_count, pending_bits, rx_samples);
    pending_count = 0;
}

static const char *status_name(int status)
{
    switch (status)
    {
    case SIG_STATUS_CARRIER_DOWN: return "carrier-down";
    case SIG_STATUS_CARRIER_UP: return "carrier-up";
    case SIG_STATUS_TRAINING_IN_PROGRESS: return "training-in-progress";
    case SIG_STATUS_TRAINING_SUCCEEDED: return "training-succeeded";
    case SIG_STATUS_TRAINING_FAILED: return "training-failed";
    case SIG_STATUS_FRAMING_OK: return "framing-ok";
    case SIG_STATUS_ABORT: return "abort";
    default: return "other";
    }
}

static void report_status(int status)
{
    flush_bits();
    printf("{\"status\":\"%s\",\"code\":%d,\"sample\":%ld}\n", status_name(status), status, rx_samples);
}

static void hdlc_frame(void *user_data, const uint8_t *frame, int length, int ok)
{
    (void) user_data;
    /* Negative lengths are status reports: the modem's own were printed by rx_put_bit on their way in, so only those
       the HDLC receiver raises itself are printed here. */
    if (length < 0)
    {
        if (length == SIG_STATUS_FRAMING_OK || length == SIG_STATUS_ABORT)
            report_status(length);
        return;
    }
    printf("{\"frame\":\"");
    for (int i = 0; i < length; i++)
        printf("%02x", frame[i]);
    printf("\",\"ok\":%s,\"sample\":%ld}\n", ok ? "true" : "false", rx_samples);
}

static void rx_put_bit(void *user_data, int bit)
{
    (void) user_data;
    if (bit < 0)
    {
        report_status(bit);
        if (hdlc_mode)
            hdlc_rx_put_bit(hdlc_rx, bit);
        return;
    }
    rx_bits++;
    if (hdlc_mode)
    {
        hdlc_rx_put_bit(hdlc_rx, bit & 1);
        return;
    }
    if (pending_count == pending_size)
    {
        pending_size = pending_size ? pending_size * 2 : 4096;
        if ((pending_bits = realloc(pending_bits, pending_size)) == NULL)
            die("out of memory");
    }
    pending_bits[pending_count++] = (bit & 1) ? '1' : '0';
}

static void rx_status(void *user_data, int status)
{
    rx_put_bit(user_data, status);
}

static int run_rx(void)
{
    size_t length;
    uint8_t *input = read_all(&length);
    const int16_t *amp = (const int16_t *) input;
    long total = (long) (length / sizeof(int16_t));
    fsk_rx_state_t *fsk = NULL;
    v27ter_rx_state_t *v27ter = NULL;
    v29_rx_state_t *v29 = NULL;
    v17_rx_state_t *v17 = NULL;
    if (hdlc_mode)
        hdlc_rx = hdlc_rx_init(NULL, 0, 1, 8, hdlc_frame, NULL);
    /* Carrier thresholds as SpanDSP's own fax front end sets them (reference §3.7). */
    switch (modem)
    {
    case MODEM_V21:
        fsk = fsk_rx_init(NULL, &preset_fsk_specs[FSK_V21CH2], FSK_FRAME_MODE_SYNC, rx_put_bit, NULL);
        fsk_rx_set_modem_status_handler(fsk, rx_status, NULL);
        fsk_rx_signal_cutoff(fsk, -39.09f);
        break;
    case MODEM_V27TER:
        v27ter = v27ter_rx_init(NULL, rate, rx_put_bit, NULL);
        v27ter_rx_set_modem_status_handler(v27ter, rx_status, NULL);
        v27ter_rx_signal_cutoff(v27ter, -45.5f);
        break;
    case MODEM_V29:
        v29 = v29_rx_init(NULL, rate, rx_put_bit, NULL);
        v29_rx_set_modem_status_handler(v29, rx_status, NULL);
        v29_rx_signal_cutoff(v29, -45.5f);
        break;
    case MODEM_V17:
        v17 = v17_rx_init(NULL, rate, rx_put_bit, NULL);
        v17_rx_set_modem_status_handler(v17, rx_status, NULL);
        v17_rx_signal_cutoff(v17, -45.5f);
        break;
    }
    /* One clock reading around the whole loop: reading a CPU clock per chunk would cost as much as V.21 itself. */
    double start = cpu_now();
    int next_loss = 0;
    for (long at = 0; at < total;)
    {
        if (next_loss < losses && at >= loss_at[next_loss])
        {
            /* A lost stretch: the modem's fill-in advances its timing and carrier without the samples. */
            int n = (int) loss_count[next_loss++];
            rx_samples = at + n;
            switch (modem)
            {
            case MODEM_V21: fsk_rx_fillin(fsk, n); break;
            case MODEM_V27TER: v27ter_rx_fillin(v27ter, n); break;
            case MODEM_V29: v29_rx_fillin(v29, n); break;
            case MODEM_V17: v17_rx_fillin(v17, n); break;
            }
            at += n;
            continue;
        }
        long end = at + chunk;
        if (end > total)
            end = total;
        if (next_loss < losses && end > loss_at[next_loss])
            end = loss_at[next_loss];
        int n = (int) (end - at);
        rx_samples = end;
        switch (modem)
        {
        case MODEM_V21: fsk_rx(fsk, amp + at, n); break;
        case MODEM_V27TER: v27ter_rx(v27ter, amp + at, n); break;
        case MODEM_V29: v29_rx(v29, amp + at, n); break;
        case MODEM_V17: v17_rx(v17, amp + at, n); break;
        }
        at = end;
    }
    cpu_seconds = cpu_now() - start;
    flush_bits();
    float carrier = 0.0f;
    float power = 0.0f;
    switch (modem)
    {
    case MODEM_V21: break;
    case MODEM_V27TER:
        carrier = v27ter_rx_carrier_frequency(v27ter);
        power = v27ter_rx_signal_power(v27ter);
        break;
    case MODEM_V29:
        carrier = v29_rx_carrier_frequency(v29);
        power = v29_rx_signal_power(v29);
        break;
    case MODEM_V17:
        carrier = v17_rx_carrier_frequency(v17);
        power = v17_rx_signal_power(v17);
        break;
    }
    printf("{\"end\":true,\"samples\":%ld,\"bitCount\":%ld,\"cpuSeconds\":%.6f,\"carrierHz\":%.3f,\"powerDbm0\":%.2f}\n",
           total, rx_bits, cpu_seconds, carrier, power);
    return 0;
}

/* ---- arguments --------------------------------------------------------------------------------------------------- */

static int default_rate(enum modem_kind kind)
{
    switch (kind)
    {
    case MODEM_V21: return 300;
    case MODEM_V27TER: return 4800;
    case MODEM_V29: return 9600;
    case MODEM_V17: return 14400;
    }
    return 0;
}

static int rate_valid(enum modem_kind kind, int bits)
{
    switch (kind)
    {
    case MODEM_V21: return bits == 300;
    case MODEM_V27TER: return bits == 2400 || bits == 4800;
    case MODEM_V29: return bits == 4800 || bits == 7200 || bits == 9600;
    case MODEM_V17: return bits == 7200 || bits == 9600 || bits == 12000 || bits == 14400;
    }
    return 0;
}

int main(int argc, char *argv[])
{
    if (argc < 2 || (strcmp(argv[1], "tx") != 0 && strcmp(argv[1], "rx") != 0))
        die("usage: modem-peer tx|rx --modem v21|v27ter|v29|v17 [--rate BITS] [--short-train] [--power DBM0] "
            "[--hdlc] [--preamble N] [--chunk N] [--bursts N] [--gap SAMPLES] [--lose AT:COUNT]");
    int transmit = strcmp(argv[1], "tx") == 0;
    for (int i = 2; i < argc; i++)
    {
        const char *arg = argv[i];
        const char *value = (i + 1 < argc) ? argv[i + 1] : NULL;
        if (strcmp(arg, "--short-train") == 0)
            short_train = 1;
        else if (strcmp(arg, "--hdlc") == 0)
            hdlc_mode = 1;
        else if (value == NULL)
            die("an option is missing its value");
        else if (strcmp(arg, "--modem") == 0 && ++i)
        {
            if (strcmp(value, "v21") == 0)
                modem = MODEM_V21;
            else if (strcmp(value, "v27ter") == 0)
                modem = MODEM_V27TER;
            else if (strcmp(value, "v29") == 0)
                modem = MODEM_V29;
            else if (strcmp(value, "v17") == 0)
                modem = MODEM_V17;
            else
                die("--modem must be v21, v27ter, v29 or v17");
        }
        else if (strcmp(arg, "--rate") == 0 && ++i)
            rate = atoi(value);
        else if (strcmp(arg, "--power") == 0 && ++i)
        {
            have_power = 1;
            power_dbm0 = (float) atof(value);
        }
        else if (strcmp(arg, "--preamble") == 0 && ++i)
            preamble_flags = atoi(value);
        else if (strcmp(arg, "--chunk") == 0 && ++i)
            chunk = atoi(value);
        else if (strcmp(arg, "--bursts") == 0 && ++i)
            bursts = atoi(value);
        else if (strcmp(arg, "--gap") == 0 && ++i)
            gap = atoi(value);
        else if (strcmp(arg, "--lose") == 0 && ++i)
        {
            if (losses == MAX_LOSSES)
                die("at most 64 --lose options");
            if (sscanf(value, "%ld:%ld", &loss_at[losses], &loss_count[losses]) != 2 || loss_at[losses] < 0
                || loss_count[losses] < 1 || loss_count[losses] > 1000000
                || (losses > 0 && loss_at[losses] < loss_at[losses - 1] + loss_count[losses - 1]))
                die("--lose wants AT:COUNT, in increasing order without overlaps");
            losses++;
        }
        else
            die("unknown option");
    }
    if (rate == 0)
        rate = default_rate(modem);
    if (!rate_valid(modem, rate))
        die("--rate is not one of the modem's bit rates");
    if (chunk < 1 || chunk > MAX_CHUNK)
        die("--chunk must be 1..8000");
    if (short_train && modem != MODEM_V17)
        die("--short-train is for v17 only");
    if (bursts < 1 || gap < 0)
        die("--bursts must be 1 or more and --gap 0 or more");
    return transmit ? run_tx() : run_rx();
}
