// The host's own users and groups through the reentrant getpw*/getgr* calls.
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <utility>
#include <vector>

#include "tables/account_sources.h"

namespace bullion::tables::detail {

namespace {

// One call of a getpw*_r/getgr*_r function, growing the buffer on ERANGE;
// `get` picks the wanted field out of the entry found.
template <class Entry, class Key, class Function, class Get>
auto reentrant_lookup(Function function, Key key, Get get) -> std::optional<decltype(get(std::declval<Entry&>()))> {
  std::vector<char> buffer(1024);
  while (true) {
    Entry entry{};
    Entry* result = nullptr;
    int error = function(key, &entry, buffer.data(), buffer.size(), &result);
    if (error == ERANGE && buffer.size() < (1u << 20)) {
      buffer.resize(buffer.size() * 4);
      continue;
    }
    if (error != 0 || result == nullptr) return std::nullopt;
    return get(*result);
  }
}

std::optional<std::string> lookup_name(AccountKind kind, uint32_t id) {
  if (kind == AccountKind::User) {
    return reentrant_lookup<passwd>(getpwuid_r, static_cast<uid_t>(id),
                                    [](passwd& entry) { return std::string(entry.pw_name); });
  }
  return reentrant_lookup<group>(getgrgid_r, static_cast<gid_t>(id),
                                 [](group& entry) { return std::string(entry.gr_name); });
}

std::optional<uint32_t> lookup_id(AccountKind kind, const std::string& name) {
  if (kind == AccountKind::User) {
    return reentrant_lookup<passwd>(getpwnam_r, name.c_str(),
                                    [](passwd& entry) { return static_cast<uint32_t>(entry.pw_uid); });
  }
  return reentrant_lookup<group>(getgrnam_r, name.c_str(),
                                 [](group& entry) { return static_cast<uint32_t>(entry.gr_gid); });
}

// Misses are cached too: an unknown uid in every record of a copied trail
// must not cost an NSS (maybe LDAP) round trip each time. A mutex makes the
// caches safe when printers run on several threads.
class SystemNames final : public NameSource {
 public:
  explicit SystemNames(AccountKind kind) : kind_(kind) {}

  std::optional<std::string_view> name(uint32_t id) override {
    std::lock_guard lock(mutex_);
    auto found = names_.find(id);
    if (found == names_.end()) found = names_.emplace(id, lookup_name(kind_, id)).first;
    if (!found->second) return std::nullopt;
    return std::string_view(*found->second);
  }

  std::optional<uint32_t> id(std::string_view name) override {
    std::lock_guard lock(mutex_);
    auto found = ids_.find(name);
    if (found == ids_.end()) {
      std::string key(name);
      found = ids_.emplace(key, lookup_id(kind_, key)).first;
    }
    return found->second;
  }

 private:
  AccountKind kind_;
  std::mutex mutex_;
  std::unordered_map<uint32_t, std::optional<std::string>> names_;
  StringMap<std::optional<uint32_t>> ids_;
};

}  // namespace

std::unique_ptr<NameSource> system_names(AccountKind kind) { return std::make_unique<SystemNames>(kind); }

}  // namespace bullion::tables::detail
