/* SPDX-License-Identifier: MIT */
#include "csum.h"

uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)sum;
}

uint32_t csum_pseudo(uint32_t src_ip, uint32_t dst_ip, uint8_t proto,
		     uint16_t len)
{
	uint64_t s = (src_ip >> 16) + (src_ip & 0xffffu) + (dst_ip >> 16) +
		     (dst_ip & 0xffffu) + proto + len;

	return csum_fold((uint32_t)s);
}
