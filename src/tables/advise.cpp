// Findings about an audit_control a careful administrator wants to hear
// before the disk fills or the volume explodes.
#include "bullion/tables.h"

namespace bullion::tables {

namespace {

constexpr uint64_t kMinimumFilesz = 512 * 1024;  // auditd's floor for filesz
constexpr uint32_t kAllClasses = 0xffffffffu;
constexpr uint32_t kPolicyCnt = 0x1, kPolicyAhlt = 0x2, kPolicyArge = 0x8;

using Findings = std::vector<std::string>;

void advise_dirs(const AuditControl& c, Findings& out) {
  if (c.dirs.empty()) out.push_back("dir: none given; auditd falls back to its built-in directory");
  for (const std::string& dir : c.dirs) {
    if (!dir.empty() && dir.front() != '/') out.push_back("dir: '" + dir + "' is not an absolute path");
  }
}

void advise_flags(const AuditControl& c, Findings& out) {
  if (c.flags.success == 0 && c.flags.failure == 0) {
    out.push_back("flags: no classes; attributable events (logins, admin actions) go unaudited");
  }
  if (c.flags.success == kAllClasses || c.flags.failure == kAllClasses) {
    out.push_back(
        "flags: 'all' audits every event, easily gigabytes a day; start from lo,aa,ad and add classes after measuring");
  }
  if (c.naflags.success == kAllClasses || c.naflags.failure == kAllClasses) {
    out.push_back("naflags: 'all' audits every non-attributable event; expect a large volume");
  }
}

void advise_space(const AuditControl& c, Findings& out) {
  if (c.minfree && *c.minfree == 0) {
    out.push_back("minfree: 0 gives no warning before the audit file system is full");
  }
  if (c.filesz && *c.filesz != 0 && *c.filesz < kMinimumFilesz) {
    out.push_back("filesz: " + std::to_string(*c.filesz) + " bytes is below the 512K minimum; auditd will not use it");
  }
  bool never_rotates = c.filesz && *c.filesz == 0;
  if (never_rotates && c.expire_after.empty()) {
    out.push_back("filesz: 0 with no expire-after: one trail grows without bound until the disk fills");
  } else if (c.expire_after.empty()) {
    out.push_back("expire-after: not set; old trails are never removed and use grows without bound");
  }
}

void advise_expiry(const AuditControl& c, Findings& out) {
  if (c.expire_after.empty()) return;
  auto expire = parse_expire_after(c.expire_after);
  if (!expire) {
    out.push_back(expire.error().message);
    return;
  }
  if (expire->size_bytes && c.filesz && *c.filesz > *expire->size_bytes) {
    out.push_back("expire-after: total size " + std::to_string(*expire->size_bytes) +
                  " is below filesz; each rotation deletes the previous trail");
  }
}

void advise_policy(const AuditControl& c, Findings& out) {
  bool cnt = c.policy & kPolicyCnt, ahlt = c.policy & kPolicyAhlt;
  if (ahlt && !cnt) {
    out.push_back("policy: ahlt without cnt halts the system when the audit disk fills");
  } else if (!cnt) {
    out.push_back("policy: without cnt, processes are suspended when audit records can't be written");
  }
  if (c.policy & kPolicyArge) {
    out.push_back("policy: arge records every exec environment, including any secrets passed in it");
  }
}

}  // namespace

std::vector<std::string> advise(const AuditControl& control) {
  Findings findings;
  advise_dirs(control, findings);
  advise_flags(control, findings);
  advise_space(control, findings);
  advise_expiry(control, findings);
  advise_policy(control, findings);
  return findings;
}

}  // namespace bullion::tables
