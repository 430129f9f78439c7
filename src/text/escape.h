// Escaping for each output format. Instantiated for OutBuf,
// fmt::memory_buffer and std::string (escape.cpp).
#pragma once

#include <fmt/format.h>

#include <string_view>

namespace bullion::text {

// OpenBSM's praudit -x escaping of exec args/env: XML entities for & < > " '
// and vis(3) C-style escapes (VIS_CSTYLE) for the rest; tab, newline and
// space pass through. Stops at the first NUL, as praudit does.
template <class Buf>
void append_vis_xml(Buf& out, std::string_view s);
// Plain XML escaping for well-formed output: entities, and control or
// invalid UTF-8 bytes as character references or U+FFFD.
template <class Buf>
void append_xml_strict(Buf& out, std::string_view s);
// A JSON string body (no quotes): quote, backslash, controls, DEL and
// U+2028/U+2029 escaped. Invalid UTF-8 bytes become U+FFFD; returns
// false when any byte was replaced (the caller then adds the exact bytes).
template <class Buf>
bool append_json_string(Buf& out, std::string_view s);
// Bytes without their NULs, as praudit prints counted strings.
template <class Buf>
void append_without_nuls(Buf& out, std::string_view s);
// For a terminal: text that cannot move the cursor, change colours or
// retitle the window. Printable ASCII and valid UTF-8 pass; a backslash is
// doubled; newline, tab and CR become \n \t \r; other control bytes, DEL,
// C1 controls and bytes that are not UTF-8 become \xNN; NULs are dropped.
template <class Buf>
void append_terminal_safe(Buf& out, std::string_view s);
bool is_valid_utf8(std::string_view s);

}  // namespace bullion::text
