// The mapping tables as Markdown, for docs/linux.md. A test compares the
// document with this text, so the tables and their documentation cannot
// drift apart (tests/linux/mapping_doc_test.cpp says how to regenerate).
#include <string>

#include "linux/mapping.h"

namespace bullion::linuxaudit {
namespace {

std::string_view shape_name(Shape shape) {
  switch (shape) {
    case Shape::Plain:
      return "Plain";
    case Shape::Exec:
      return "Exec";
    case Shape::Open:
      return "Open";
    case Shape::Exit:
      return "Exit";
    case Shape::Fork:
      return "Fork";
  }
  return "?";
}

std::string_view role_name(RecordRole role) {
  switch (role) {
    case RecordRole::Syscall:
      return "Syscall";
    case RecordRole::Aux:
      return "Aux";
    case RecordRole::Eoe:
      return "Eoe";
    case RecordRole::Kernel:
      return "Kernel";
    case RecordRole::UserMessage:
      return "UserMessage";
    case RecordRole::Other:
      return "Other";
  }
  return "?";
}

std::string arguments(const SyscallRow& row) {
  std::string out;
  for (const ArgSpec& spec : row.args) {
    if (spec.linux_arg < 0) continue;
    if (!out.empty()) out += "; ";
    out += "a" + std::to_string(spec.linux_arg) + " -> " + (spec.wide ? "arg64 " : "arg32 ") +
           std::to_string(spec.bsm_number) + " \"" + std::string(spec.description) + "\"";
  }
  if (out.empty() && row.shape == Shape::Plain) out = "a0-a3 as arg64 1-4";
  return out;
}

}  // namespace

std::string mapping_tables_markdown() {
  std::string md;
  md +=
      "### Syscalls (shape Open: event by O_ACCMODE, O_CREAT, O_TRUNC over the R, RC, RT, RTC, W, WC, WT, WTC, RW, "
      "RWC, RWT, RWTC order from the base)\n\n";
  md += "| syscall | AUE event | shape | argument tokens (Linux arg -> BSM arg number: description) |\n";
  md += "|---|---|---|---|\n";
  for (const SyscallRow& row : syscall_rows()) {
    md += "| " + std::string(row.name) + " | " + std::to_string(row.event) + " " + std::string(row.event_name) + " | " +
          std::string(shape_name(row.shape)) + " | " + arguments(row) + " |\n";
  }
  md += "\n### Record types\n\n";
  md += "| record type | number | role | AUE event when it stands alone |\n|---|---|---|---|\n";
  for (const RecordTypeRow& row : record_type_rows()) {
    std::string event = std::to_string(row.event) + " " + std::string(row.event_name);
    if (row.ssh_event) event += "; " + std::to_string(row.ssh_event) + " AUE_openssh when exe is sshd";
    md += "| " + std::string(row.name) + " | " + std::to_string(row.type) + " | " + std::string(role_name(row.role)) +
          " | " + event + " |\n";
  }
  md += "\n### errno (Linux asm-generic -> OpenBSM audit_errno.h)\n\n";
  md += "| Linux errno | number | BSM errno |\n|---|---|---|\n";
  for (const ErrnoRow& row : errno_rows()) {
    md += "| " + std::string(row.name) + " | " + std::to_string(row.linux_errno) + " | " +
          std::to_string(row.bsm_errno) + " |\n";
  }
  return md;
}

}  // namespace bullion::linuxaudit
