// Names for values, cached so the hot path never re-reads a table: event
// descriptions, user and group names, ctime strings, return-status texts.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bullion/tables.h"

namespace bullion::text {

class Names {
 public:
  explicit Names(const tables::TableSet& tables);

  // nullptr when the table has no such event.
  const tables::EventEntry* event(uint16_t number) const { return tables_.events->find(number); }
  // User/group name, or empty when unknown.
  std::string_view user(uint32_t uid);
  std::string_view group(uint32_t gid);
  // ctime(3) without the newline, in local time; the last one is cached.
  std::string_view ctime(uint64_t seconds);
  // "success", "failure : <strerror>", or "failure: Unknown error: N".
  std::string_view return_status(uint8_t bsm_errno) const { return status_text_[bsm_errno]; }

 private:
  const tables::TableSet& tables_;
  // Ids below kDirect are looked up in a vector (the common case); the rest
  // in a map. Empty entries mean "not looked up yet" via the flag vectors.
  static constexpr uint32_t kDirect = 1 << 16;
  struct IdCache {
    std::vector<std::string> names = std::vector<std::string>(kDirect);
    std::vector<uint8_t> known = std::vector<uint8_t>(kDirect);
    std::unordered_map<uint32_t, std::string> other;
  };
  std::string_view cached(IdCache& cache, uint32_t id, bool user);
  IdCache users_, groups_;
  uint64_t ctime_key_ = ~uint64_t{0};
  std::string ctime_text_;
  bool minute_valid_ = false;
  std::array<std::string, 256> status_text_;
};

}  // namespace bullion::text
