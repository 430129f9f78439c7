// Shell quoting for command lines that a user may paste back into a shell:
// whatever bytes an audited process passed, the quoted word stands for
// exactly those bytes and nothing in it is expanded or executed.
#pragma once

#include <string>
#include <string_view>

namespace bullion::tools {

// Appends `word` quoted for bash/zsh/ksh (and POSIX.1-2024 sh):
//  - bare when every byte is in [A-Za-z0-9_@%+=:,./-] (and non-empty);
//  - '...' when it is printable and valid UTF-8 (a ' becomes '\'');
//  - $'...' otherwise: \n \t \r \\ \' named, other control bytes and bytes
//    that are not valid UTF-8 as \xHH.
void append_shell_quoted(std::string& out, std::string_view word);

// As above, but a word containing '=' is quoted even when it would be safe:
// as the first word of a command, `A=b` would be an assignment.
void append_shell_quoted_command(std::string& out, std::string_view word);

}  // namespace bullion::tools
