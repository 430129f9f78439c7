// The host's own users and groups through the reentrant getpw*/getgr* calls.
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <vector>

#include "tables/account_sources.h"

namespace bullion::tables::detail {

namespace {

// Calls a getpw*_r/getgr*_r style function, growing the buffer on ERANGE.
// `call(buffer, size, &found)` returns the function's error number.
template <class Call>
bool call_with_buffer(Call call) {
  std::vector<char> buffer(1024);
  while (true) {
    void* found = nullptr;
    int error = call(buffer.data(), buffer.size(), &found);
    if (error == ERANGE && buffer.size() < (1u << 20)) {
      buffer.resize(buffer.size() * 4);
      continue;
    }
    return error == 0 && found != nullptr;
  }
}

std::optional<std::string> lookup_name(AccountKind kind, uint32_t id) {
  std::optional<std::string> name;
  if (kind == AccountKind::User) {
    passwd entry{};
    call_with_buffer([&](char* buf, size_t size, void** found) {
      passwd* result = nullptr;
      int error = getpwuid_r(static_cast<uid_t>(id), &entry, buf, size, &result);
      if (result) name = result->pw_name;
      *found = result;
      return error;
    });
  } else {
    group entry{};
    call_with_buffer([&](char* buf, size_t size, void** found) {
      group* result = nullptr;
      int error = getgrgid_r(static_cast<gid_t>(id), &entry, buf, size, &result);
      if (result) name = result->gr_name;
      *found = result;
      return error;
    });
  }
  return name;
}

std::optional<uint32_t> lookup_id(AccountKind kind, const std::string& name) {
  std::optional<uint32_t> id;
  if (kind == AccountKind::User) {
    passwd entry{};
    call_with_buffer([&](char* buf, size_t size, void** found) {
      passwd* result = nullptr;
      int error = getpwnam_r(name.c_str(), &entry, buf, size, &result);
      if (result) id = result->pw_uid;
      *found = result;
      return error;
    });
  } else {
    group entry{};
    call_with_buffer([&](char* buf, size_t size, void** found) {
      group* result = nullptr;
      int error = getgrnam_r(name.c_str(), &entry, buf, size, &result);
      if (result) id = result->gr_gid;
      *found = result;
      return error;
    });
  }
  return id;
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

std::unique_ptr<NameSource> system_names(AccountKind kind) {
  return std::make_unique<SystemNames>(kind);
}

}  // namespace bullion::tables::detail
