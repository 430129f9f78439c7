// One side (users or groups) of id <-> name lookups. Internal.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "bullion/error.h"

namespace bullion::tables::detail {

// Lets unordered maps keyed by std::string be searched with a string_view.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

class NameSource {
 public:
  virtual ~NameSource() = default;
  // The view stays valid for the source's lifetime.
  virtual std::optional<std::string_view> name(uint32_t id) = 0;
  virtual std::optional<uint32_t> id(std::string_view name) = 0;
};

enum class AccountKind { User, Group };

// getpwuid_r/getpwnam_r or getgrgid_r/getgrnam_r, every answer cached.
std::unique_ptr<NameSource> system_names(AccountKind kind);

// passwd(5) or group(5) text: name in field 1, id in field 3.
std::unique_ptr<NameSource> file_names(std::string_view text);

}  // namespace bullion::tables::detail
