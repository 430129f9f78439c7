// The one reader of big-endian integers (every BSM integer is big-endian).
// Callers check bounds first; WireReader (src/bsm/wire.h) is the checked
// reader built on these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace bullion::bsm {

inline uint16_t load_be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline uint32_t load_be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
inline uint64_t load_be64(const uint8_t* p) { return uint64_t{load_be32(p)} << 32 | load_be32(p + 4); }

// At byte `at` of `b` (the caller checked that the bytes are there).
inline uint32_t load_be32_at(std::span<const uint8_t> b, size_t at) { return load_be32(b.data() + at); }

}  // namespace bullion::bsm
