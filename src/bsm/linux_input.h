// Linux audit.log files read as trails (implemented in linux_input.cpp on
// Linux; elsewhere they are never detected).
#pragma once

#include <memory>
#include <string>

#include "bullion/bsm/reader.h"

namespace bullion::input {

bool looks_like_linux_audit_file(const std::string& path);
Result<std::unique_ptr<bsm::RecordReader>> open_linux_audit_log(const std::string& path);

}  // namespace bullion::input
