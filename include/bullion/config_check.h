// Checking the audit configuration files as an administrator would want
// them checked (auditconf check): every error and every risk, each with
// its line, rather than the first error that stops a daemon.
#pragma once

#include <string_view>
#include <vector>

#include "bullion/tables.h"

namespace bullion::tables {

// audit_control: each bad line, every advise() finding, and each dir that
// does not exist or is not a directory ("dir-missing").
std::vector<Finding> check_audit_control(std::string_view text, const ClassTable& classes);
// audit_class: bad lines, a name or mask given twice.
std::vector<Finding> check_audit_class(std::string_view text);
// audit_event: bad lines, unknown classes, a number or name given twice.
std::vector<Finding> check_audit_event(std::string_view text, const ClassTable& classes);
// audit_user: bad lines, a user given twice, a user `accounts` does not know.
std::vector<Finding> check_audit_user(std::string_view text, const ClassTable& classes, Accounts& accounts);

// 0 nothing found, 1 warnings only, 2 an error (auditconf check's exit).
int findings_status(const std::vector<Finding>& findings);

}  // namespace bullion::tables
