#include "bullion/tools/shell_quote.h"

#include <fmt/format.h>

#include "text/escape.h"

namespace bullion::tools {
namespace {

bool is_bare_byte(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '_':
    case '@':
    case '%':
    case '+':
    case '=':
    case ':':
    case ',':
    case '.':
    case '/':
    case '-':
      return true;
    default:
      return false;
  }
}

bool is_bare(std::string_view word) {
  if (word.empty()) return false;
  for (unsigned char c : word) {
    if (!is_bare_byte(c)) return false;
  }
  return true;
}

// Control bytes (and DEL) are invisible or move the cursor: a pasted line
// must show them, so they force $'...'.
bool has_control_byte(std::string_view word) {
  for (unsigned char c : word) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

void append_single_quoted(std::string& out, std::string_view word) {
  out += '\'';
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
}

// Length of the valid UTF-8 sequence at word[i] (multi-byte only), 0 if none.
size_t utf8_sequence_length(std::string_view word, size_t i) {
  const auto c = static_cast<unsigned char>(word[i]);
  const size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (n == 0 || i + n > word.size()) return 0;
  return text::is_valid_utf8(word.substr(i, n)) ? n : 0;
}

void append_ansi_c_byte(std::string& out, unsigned char c) {
  switch (c) {
    case '\n':
      out += "\\n";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\'':
      out += "\\'";
      return;
    default:
      break;
  }
  if (c < 0x20 || c >= 0x7f) {
    // Always two hex digits, so a following hex digit cannot join the escape.
    out += fmt::format("\\x{:02x}", c);
  } else {
    out += static_cast<char>(c);
  }
}

void append_ansi_c_quoted(std::string& out, std::string_view word) {
  out += "$'";
  for (size_t i = 0; i < word.size();) {
    if (const size_t n = utf8_sequence_length(word, i); n > 0) {
      out.append(word.substr(i, n));
      i += n;
      continue;
    }
    append_ansi_c_byte(out, static_cast<unsigned char>(word[i]));
    ++i;
  }
  out += '\'';
}

}  // namespace

void append_shell_quoted(std::string& out, std::string_view word) {
  if (is_bare(word)) {
    out.append(word);
  } else if (!has_control_byte(word) && text::is_valid_utf8(word)) {
    append_single_quoted(out, word);
  } else {
    append_ansi_c_quoted(out, word);
  }
}

void append_shell_quoted_command(std::string& out, std::string_view word) {
  if (word.find('=') != std::string_view::npos && is_bare(word)) {
    append_single_quoted(out, word);
  } else {
    append_shell_quoted(out, word);
  }
}

}  // namespace bullion::tools
