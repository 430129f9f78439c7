// Names for values, cached so the hot path never re-reads a table: event
// descriptions, user and group names, ctime strings, return-status texts.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bullion/tables.h"

namespace bullion::text {

// A table indexed by a 16-bit id whose entries are allocated 256 at a time
// as ids are first seen: start-up then does not pay for 65,536 empty slots
// (several megabytes of page faults, most of a small trail's run time).
template <class T>
class PagedTable {
 public:
  static constexpr uint32_t kSize = 1 << 16;  // ids below this fit
  T& operator[](uint16_t id) {
    std::unique_ptr<Page>& page = pages_[id >> 8];
    if (!page) page = std::make_unique<Page>();
    return (*page)[id & 0xff];
  }

 private:
  using Page = std::array<T, 256>;
  std::array<std::unique_ptr<Page>, 256> pages_;
};

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
  // Ids that fit a PagedTable are looked up there (the common case); the
  // rest in a map.
  struct Entry {
    std::string name;
    bool known = false;  // looked up (the name may be empty: no such id)
  };
  struct IdCache {
    PagedTable<Entry> direct;
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
