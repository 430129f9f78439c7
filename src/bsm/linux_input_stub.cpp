// Until the Linux translator is wired in, audit.log files are not detected.
#include "bsm/linux_input.h"

namespace bullion::input {

bool looks_like_linux_audit_file(const std::string&) { return false; }

Result<std::unique_ptr<bsm::RecordReader>> open_linux_audit_log(const std::string& path) {
  return Error{Errc::Unsupported, 0, 0, "Linux audit logs are not supported in this build: " + path};
}

}  // namespace bullion::input
