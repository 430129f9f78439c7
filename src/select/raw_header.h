// The few header fields a header-only selection needs, read straight from
// the record bytes without running the token decoder: this is what lets
// -a/-b/-c/-m go at memory speed.
#pragma once

#include <cstdint>
#include <span>

namespace bullion::select {

struct RawHeader {
  uint16_t event = 0;
  uint64_t seconds = 0;
};

inline uint32_t be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
inline uint64_t be64(const uint8_t* p) { return uint64_t{be32(p)} << 32 | be32(p + 4); }

// Fills `out` when `record` starts with one of the four header kinds and is
// long enough to hold its fields. Layout: id, size u32, version u8, event
// u16, modifier u16, [address type u32, address 4|16 (ex kinds)], seconds
// u32|u64, msec u32|u64.
inline bool read_raw_header(std::span<const uint8_t> record, RawHeader& out) {
  constexpr size_t kFixed = 10;  // id .. modifier
  if (record.size() < kFixed) return false;
  const uint8_t* p = record.data();
  const uint8_t id = p[0];
  const bool ex = id == 0x15 || id == 0x79;
  const bool wide = id == 0x74 || id == 0x79;
  if (!ex && !wide && id != 0x14) return false;
  size_t at = kFixed;
  if (ex) {
    if (record.size() < at + 4) return false;
    const uint32_t type = be32(p + at);
    // As the decoder does: an unknown address type carries no address.
    at += 4 + (type == 4 ? 4 : type == 16 ? 16 : 0);
  }
  const size_t time_size = wide ? 16 : 8;
  if (record.size() < at + time_size) return false;
  out.event = static_cast<uint16_t>(p[6] << 8 | p[7]);
  out.seconds = wide ? be64(p + at) : be32(p + at);
  return true;
}

}  // namespace bullion::select
