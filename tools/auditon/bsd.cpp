// On FreeBSD and macOS the subcommands are auditon(2) calls through libbsm,
// as knox's auditon makes them. NOT COMPILED on our Linux machines: checked
// by reading against libbsm's manual only (see docs/auditon.md).
#if defined(__FreeBSD__) || defined(__APPLE__)
#include <bsm/libbsm.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "auditon.h"

namespace auditon {

namespace {

bullion::Error failure(const std::string& what) {
  return bullion::Error{bullion::Errc::Io, 0, 0, what + ": " + std::strerror(errno)};
}

bullion::Result<std::string> policy(const std::string& subcommand, const std::string& names) {
  int current = 0;
  if (audit_get_policy(&current) != 0) return failure("auditon(A_GETPOLICY)");
  if (subcommand == "getpolicy") {
    char text[256];
    if (au_poltostr(current, sizeof text, text) < 0) return failure("au_poltostr");
    return std::string(text);
  }
  int bits = 0;
  if (au_strtopol(names.c_str(), &bits) != 0) return failure("unknown policy '" + names + "'");
  int wanted = subcommand == "setpolicy" ? (current | bits) : (current & ~bits);
  if (audit_set_policy(&wanted) != 0) return failure("auditon(A_SETPOLICY)");
  return std::string();
}

bullion::Result<std::string> mask(const std::string& subcommand, const std::vector<std::string>& args) {
  auditpinfo_t info{};
  info.ap_pid = static_cast<pid_t>(std::atoi(args[0].c_str()));
  if (audit_get_pinfo(&info, sizeof info) != 0) return failure("auditon(A_GETPINFO) pid " + args[0]);
  if (subcommand == "getmask") {
    char text[1024];
    if (getauditflagschar(text, &info.ap_mask, 0) != 0) return failure("getauditflagschar");
    return std::string(text);
  }
  au_mask_t change{};
  if (getauditflagsbin(const_cast<char*>(args[1].c_str()), &change) != 0) return failure("bad classes " + args[1]);
  if (subcommand == "setmask") {
    info.ap_mask.am_success |= change.am_success;
    info.ap_mask.am_failure |= change.am_failure;
  } else {
    info.ap_mask.am_success &= ~change.am_success;
    info.ap_mask.am_failure &= ~change.am_failure;
  }
  if (audit_set_pmask(&info, sizeof info) != 0) return failure("auditon(A_SETPMASK)");
  return std::string();
}

bullion::Result<std::string> event_class(const std::string& subcommand, const std::vector<std::string>& args) {
  au_event_t* number = getauevnonam(args[0].c_str());
  if (number == nullptr) return failure("no event " + args[0]);
  au_evclass_map_t map{};
  map.ec_number = *number;
  if (audit_get_class(&map, sizeof map) != 0) return failure("auditon(A_GETCLASS)");
  if (subcommand == "getclass") {
    std::string names;
    setauclass();
    for (au_class_ent_t* entry = getauclassent(); entry != nullptr; entry = getauclassent()) {
      if (__builtin_popcount(entry->ac_class) != 1 || (map.ec_class & entry->ac_class) == 0) continue;
      if (!names.empty()) names += ',';
      names += entry->ac_name;
    }
    endauclass();
    return names;
  }
  au_class_ent_t* entry = getauclassnam(args[1].c_str());
  if (entry == nullptr) return failure("no class " + args[1]);
  map.ec_class = subcommand == "setclass" ? (map.ec_class | entry->ac_class) : (map.ec_class & ~entry->ac_class);
  if (audit_set_class(&map, sizeof map) != 0) return failure("auditon(A_SETCLASS)");
  return std::string();
}

}  // namespace

bullion::Result<std::string> request(const std::string&, const std::string& subcommand,
                                     const std::vector<std::string>& args) {
  if (subcommand.ends_with("policy")) return policy(subcommand, args.empty() ? std::string() : args[0]);
  if (subcommand.ends_with("mask")) return mask(subcommand, args);
  return event_class(subcommand, args);
}

}  // namespace auditon
#endif
