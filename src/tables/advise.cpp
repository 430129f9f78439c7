// Findings about an audit_control a careful administrator wants to hear
// before the disk fills or the volume explodes.
#include "bullion/tables.h"

namespace bullion::tables {

namespace {

constexpr uint32_t kAllClasses = 0xffffffffu;
constexpr uint32_t kPolicyCnt = 0x1, kPolicyAhlt = 0x2, kPolicyArge = 0x8;

// Classes whose successful events come by the thousand per second on a busy
// host (every read open, stat, close, ioctl): worth measuring first.
struct BusyClass {
  uint32_t mask;
  std::string_view name;
  std::string_view what;
};
constexpr BusyClass kBusyClasses[] = {
    {0x1, "fr", "every successful read open"},
    {0x4, "fa", "every successful stat and attribute read"},
    {0x40, "cl", "every close"},
    {0x20000000, "io", "every ioctl"},
};

class Advice {
 public:
  explicit Advice(const AuditControl& control) : c_(control) {}

  void warn(std::string name, std::string_view field, std::string message) {
    add(Finding::Severity::Warning, std::move(name), c_.line_of(field), std::move(message));
  }
  void add(Finding::Severity severity, std::string name, int line, std::string message) {
    findings_.push_back(Finding{severity, std::move(name), line, std::move(message)});
  }
  std::vector<Finding> take() { return std::move(findings_); }

 private:
  const AuditControl& c_;
  std::vector<Finding> findings_;
};

void advise_dirs(const AuditControl& c, Advice& out) {
  if (c.dirs.empty()) {
    out.add(Finding::Severity::Error, "no-dir", 0, "dir: none given; the daemon has nowhere to write trails");
  }
  for (size_t i = 0; i < c.dirs.size(); ++i) {
    const std::string& dir = c.dirs[i];
    int line = i < c.dir_lines.size() ? c.dir_lines[i] : 0;
    if (!dir.empty() && dir.front() != '/') {
      out.add(Finding::Severity::Error, "dir-not-absolute", line, "dir: '" + dir + "' is not an absolute path");
    }
  }
}

void advise_busy_classes(std::string_view field, PreselectMask mask, Advice& out) {
  if (mask.success == kAllClasses || mask.failure == kAllClasses) {
    out.warn("all-classes", field,
             std::string(field) +
                 ": 'all' audits every event, easily gigabytes a day; start from lo,aa,ad and add classes after "
                 "measuring (auditconf advise)");
    return;
  }
  for (const BusyClass& busy : kBusyClasses) {
    if ((mask.success & busy.mask) == 0) continue;
    out.warn("busy-class", field,
             std::string(field) + ": " + std::string(busy.name) + " audits " + std::string(busy.what) +
                 "; measure its volume first (auditconf advise --add " + std::string(busy.name) +
                 ") or audit failures only (-" + std::string(busy.name) + ")");
  }
}

void advise_flags(const AuditControl& c, Advice& out) {
  if (c.flags.success == 0 && c.flags.failure == 0) {
    out.warn("no-flags", "flags", "flags: no classes; attributable events (logins, admin actions) go unaudited");
  }
  advise_busy_classes("flags", c.flags, out);
  advise_busy_classes("naflags", c.naflags, out);
}

void advise_space(const AuditControl& c, Advice& out) {
  if (!c.minfree) {
    out.warn("no-minfree", "minfree",
             "minfree: not set; OpenBSM's auditd does not start without it, and nothing warns before the disk fills");
  } else if (*c.minfree == 0) {
    out.warn("minfree-zero", "minfree", "minfree: 0 gives no warning before the audit file system is full");
  }
  if (c.filesz && *c.filesz != 0 && *c.filesz < kMinimumFilesz) {
    out.warn("filesz-below-minimum", "filesz",
             "filesz: " + std::to_string(*c.filesz) +
                 " bytes is below the 512K minimum; OpenBSM's kernel refuses it and bsmauditd uses 512K");
  }
  // expire-after never removes the open trail, so without rotation it
  // cannot bound anything.
  if (!c.filesz || *c.filesz == 0) {
    out.warn("unbounded-growth", "filesz",
             "filesz: 0 or unset: the trail never rotates and grows without bound until the disk fills");
  } else if (c.expire_after.empty()) {
    out.warn("no-expiry", "expire-after",
             "expire-after: not set; old trails are never removed and use grows without bound");
  }
}

void advise_expiry(const AuditControl& c, Advice& out) {
  if (c.expire_after.empty()) return;
  auto expire = parse_expire_after(c.expire_after);
  if (!expire) return;  // read_audit_control reported it
  if (expire->size_bytes && c.filesz && *c.filesz > *expire->size_bytes) {
    out.warn("expire-below-filesz", "expire-after",
             "expire-after: total size " + std::to_string(*expire->size_bytes) + " is below filesz " +
                 std::to_string(*c.filesz) + "; each rotation deletes the previous trail");
  }
}

void advise_policy(const AuditControl& c, Advice& out) {
  bool cnt = c.policy & kPolicyCnt, ahlt = c.policy & kPolicyAhlt;
  if (ahlt && !cnt) {
    out.warn("ahlt-without-cnt", "policy", "policy: ahlt without cnt halts the system when the audit disk fills");
  } else if (!cnt) {
    out.warn("no-cnt", "policy", "policy: without cnt, processes are suspended when audit records can't be written");
  }
  if (c.policy & kPolicyArge) {
    out.warn("arge-environment", "policy",
             "policy: arge records every exec environment, including any secrets passed in it (Linux kernel audit "
             "records no environment, so on Linux it has no effect)");
  }
}

}  // namespace

std::vector<Finding> advise(const AuditControl& control) {
  Advice advice(control);
  advise_dirs(control, advice);
  advise_flags(control, advice);
  advise_space(control, advice);
  advise_expiry(control, advice);
  advise_policy(control, advice);
  return advice.take();
}

}  // namespace bullion::tables
