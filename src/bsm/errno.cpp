#include "bullion/bsm/errno.h"

#include <array>
#include <cerrno>

namespace bullion::bsm {
namespace {

struct ErrnoRow {
  uint8_t bsm;
  int local;
  std::string_view name;
};

constexpr ErrnoRow kRows[] = {
#define BSM_ERRNO(n, name) {n, name, #name},
#include "bsm/bsm_errno.def"
#undef BSM_ERRNO
};

constexpr uint8_t kBsmUnknown = 250;

}  // namespace

std::optional<int> bsm_to_local_errno(uint8_t bsm) {
  if (bsm == 0) return 0;
  for (const ErrnoRow& r : kRows)
    if (r.bsm == bsm) return r.local;
  return std::nullopt;
}

uint8_t local_to_bsm_errno(int local) {
  if (local == 0) return 0;
  for (const ErrnoRow& r : kRows)
    if (r.local == local) return r.bsm;
  return kBsmUnknown;
}

std::string_view bsm_errno_name(uint8_t bsm) {
  // Indexed: JSON output names the errno of every failed call.
  static constexpr auto kNames = [] {
    std::array<std::string_view, 256> names{};
    for (const ErrnoRow& r : kRows)
      if (names[r.bsm].empty()) names[r.bsm] = r.name;
    return names;
  }();
  return kNames[bsm];
}

}  // namespace bullion::bsm
