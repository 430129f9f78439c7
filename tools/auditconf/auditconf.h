// auditconf's two subcommands share option parsing and the way files are
// found (FILE, --root DIR, /etc/security).
#pragma once

#include <string>
#include <vector>

#include "bullion/error.h"
#include "bullion/tables.h"

namespace auditconf {

inline constexpr int kExitOk = 0, kExitFailure = 1, kExitUsage = 2;

struct Options {
  bullion::tables::TableOptions tables;  // --root, --audit-event, --audit-class, --passwd, --group
  std::string audit_user;                // --audit-user
  std::string control;                   // check's FILE, advise's --control
  bool json = false;
  // advise
  std::string add;   // --add CLASSES
  double days = 0;   // --days: the sample's span, instead of its records' times
  std::string disk;  // --disk SIZE[:FREE]
  std::vector<std::string> trails;
};

// A whole file; the error names it.
bullion::Result<std::string> read_text(const std::string& path);

// ROOT/etc/security/NAME, or /etc/security/NAME without a root.
std::string security_path(const Options& options, const std::string& name);

int check(const Options& options);
int advise(const Options& options);

}  // namespace auditconf
