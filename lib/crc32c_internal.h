/* CRC-32C (Castagnoli), the checksum of snapshot sections. */
#ifndef NJ_CRC32C_INTERNAL_H
#define NJ_CRC32C_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Continues a CRC-32C over `len` more bytes: start with crc = 0, feed the
 * data in any number of pieces, and the result is the CRC of the whole
 * (reflected polynomial 0x82F63B78, initial value and final xor ~0, as in
 * iSCSI, ext4 and RFC 3720; the CRC of "123456789" is 0xE3069283).
 */
uint32_t nj_crc32c(uint32_t crc, const void *data, size_t len);

/* The same in portable C only, whatever the processor has (for tests: the
 * two must agree). */
uint32_t nj_crc32c_portable(uint32_t crc, const void *data, size_t len);

#endif
