// BSM error numbers <-> this host's errno values, and their names.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace bullion::bsm {

// The host errno a BSM error number stands for; nullopt when this host has
// none (praudit then prints "Unknown error: N").
std::optional<int> bsm_to_local_errno(uint8_t bsm);
// The BSM number for a host errno (Linux producers); 250 (unknown) if none.
uint8_t local_to_bsm_errno(int local);
// "ENOENT" for BSM 2; empty when unknown.
std::string_view bsm_errno_name(uint8_t bsm);

}  // namespace bullion::bsm
