#include "crc32c_internal.h"

#include <pthread.h>
#include <string.h>

/*
 * CRC-32C two ways, with one answer: the SSE4.2 crc32 instruction where the
 * processor has it (eight bytes a step, about 8 GB/s: a 50 MB snapshot is
 * checked in a few milliseconds instead of 25), otherwise slicing by 8
 * (Kounavis and Berry 2005) in portable C, about 2 GB/s. The choice and
 * the tables are made once, on first use.
 */
#define POLY 0x82F63B78u

static uint32_t tables[8][256];
static int use_instruction;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_CRC_INSTRUCTION 1

__attribute__((target("sse4.2"))) static uint32_t crc_instruction(uint32_t c,
                                                                  const uint8_t *p,
                                                                  size_t len)
{
    uint64_t c64 = c;
    for (; len >= 8; len -= 8, p += 8) {
        uint64_t v;
        memcpy(&v, p, sizeof v); /* x86 is little-endian, as the CRC reads */
        c64 = __builtin_ia32_crc32di(c64, v);
    }
    c = (uint32_t)c64;
    for (; len > 0; len--, p++)
        c = __builtin_ia32_crc32qi(c, *p);
    return c;
}
#endif

static void init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ POLY : c >> 1;
        tables[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++)
        for (int t = 1; t < 8; t++)
            tables[t][n] = (tables[t - 1][n] >> 8) ^ tables[0][tables[t - 1][n] & 0xFF];
#ifdef HAVE_CRC_INSTRUCTION
    use_instruction = __builtin_cpu_supports("sse4.2");
#endif
}

/* Bytes are combined explicitly, so the result is the same on any host. */
static uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint32_t crc_tables(uint32_t c, const uint8_t *p, size_t len)
{
    for (; len >= 8; len -= 8, p += 8) {
        uint32_t lo = load_le32(p) ^ c, hi = load_le32(p + 4);
        c = tables[7][lo & 0xFF] ^ tables[6][(lo >> 8) & 0xFF] ^
            tables[5][(lo >> 16) & 0xFF] ^ tables[4][lo >> 24] ^
            tables[3][hi & 0xFF] ^ tables[2][(hi >> 8) & 0xFF] ^
            tables[1][(hi >> 16) & 0xFF] ^ tables[0][hi >> 24];
    }
    for (; len > 0; len--, p++)
        c = (c >> 8) ^ tables[0][(c ^ *p) & 0xFF];
    return c;
}

uint32_t nj_crc32c_portable(uint32_t crc, const void *data, size_t len)
{
    pthread_once(&init_once, init);
    return ~crc_tables(~crc, data, len);
}

uint32_t nj_crc32c(uint32_t crc, const void *data, size_t len)
{
    pthread_once(&init_once, init);
#ifdef HAVE_CRC_INSTRUCTION
    if (use_instruction)
        return ~crc_instruction(~crc, data, len);
#endif
    return ~crc_tables(~crc, data, len);
}
