#include "trace/lexer.h"

#include <array>

namespace bullion::trace {
namespace {

constexpr size_t kMaxQuoted = 1023;  // the original's buffer, minus the NUL

// Every word the original's scanner turns into a keyword, including the
// ones its grammar no longer accepts (log, log-channel, directory), so the
// parser can name them in its error.
constexpr std::array<std::string_view, 35> kKeywords = {
    "any",          "days",    "define",      "directory", "event",   "failure",    "hours",
    "include",      "log",     "log-channel", "logfile",   "minutes", "multiplier", "none",
    "not",          "object",  "priority",    "scope",     "seconds", "sequence",   "serial",
    "set",          "state",   "status",      "subject",   "success", "timeout",    "timeout-window",
    "timeout-prob", "trigger", "weeks",       "zone",      "!",       "{",          "}"};

// Word characters: anything but blanks, ; , < > " and newline. Carriage
// returns count as blanks here (the original made them part of words), so
// files saved with CRLF line ends still load.
bool is_word_char(char c) {
  return c != ' ' && c != '\t' && c != '\r' && c != ';' && c != ',' && c != '<' && c != '>' && c != '"' && c != '\n';
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

}  // namespace

char Lexer::advance() {
  char c = text_[pos_++];
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
  return c;
}

void Lexer::skip_blanks_and_comments() {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      advance();
    } else if (c == '#') {
      while (pos_ < text_.size() && text_[pos_] != '\n') advance();
    } else {
      return;
    }
  }
}

Token Lexer::next() {
  skip_blanks_and_comments();
  Token token;
  token.line = line_;
  token.column = column_;
  if (pos_ >= text_.size()) return token;
  char c = text_[pos_];
  auto single = [&](TokenType type) {
    advance();
    token.type = type;
    token.text.assign(1, c);
    return token;
  };
  switch (c) {
    case ';':
      return single(TokenType::Semicolon);
    case ',':
      return single(TokenType::Comma);
    case '<':
      return single(TokenType::OpenAngle);
    case '>':
      return single(TokenType::CloseAngle);
    case '"':
      return quoted(std::move(token));
    default:
      return word(std::move(token));
  }
}

// A backslash takes the next character literally; a newline inside the
// string becomes a space.
Token Lexer::quoted(Token token) {
  advance();  // opening quote
  token.type = TokenType::Word;
  token.quoted = true;
  while (pos_ < text_.size()) {
    char c = advance();
    if (c == '"') {
      if (token.text.size() > kMaxQuoted) {
        token.type = TokenType::Error;
        token.text = "quoted string longer than 1023 characters";
      }
      return token;
    }
    if (c == '\\') {
      if (pos_ >= text_.size()) break;
      c = advance();
    } else if (c == '\n') {
      c = ' ';
    }
    token.text.push_back(c);
  }
  token.type = TokenType::Error;
  token.text = "unmatched \" (string runs to end of file)";
  return token;
}

// Braces are word characters to the original's scanner: only a lone { or }
// is a brace, "{x" is one word. Keywords likewise only match whole words.
Token Lexer::word(Token token) {
  size_t start = pos_;
  while (pos_ < text_.size() && is_word_char(text_[pos_])) advance();
  std::string_view w = text_.substr(start, pos_ - start);
  token.text.assign(w);
  if (w == "{") {
    token.type = TokenType::OpenBrace;
  } else if (w == "}") {
    token.type = TokenType::CloseBrace;
  } else if (all_digits(w)) {
    token.type = TokenType::Integer;
    uint64_t n = 0;
    for (char d : w) {
      n = n * 10 + static_cast<uint64_t>(d - '0');
      if (n > 0xffffffffull) n = 0xffffffffull + 1;  // saturate: callers reject
    }
    token.number = n;
  } else {
    token.type = TokenType::Word;
    for (auto k : kKeywords)
      if (w == k) token.type = TokenType::Keyword;
    if (w == "!") token.text = "not";
  }
  return token;
}

}  // namespace bullion::trace
