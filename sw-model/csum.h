/* SPDX-License-Identifier: MIT */
/* Internet checksum (RFC 1071), the twin of rtl/csum_acc.v. */
#ifndef TT_MODEL_CSUM_H
#define TT_MODEL_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Add len bytes, taken as big-endian 16-bit words (an odd last byte is the
 * high byte of a word padded with zero), to a running sum. */
uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len);
/* Fold carries into 16 bits (end-around carry). Not complemented. */
uint16_t csum_fold(uint32_t sum);
/* Sum of the TCP/UDP pseudo-header: src, dst, zero, protocol, length. */
uint32_t csum_pseudo(uint32_t src_ip, uint32_t dst_ip, uint8_t proto,
		     uint16_t len);

#endif
