// Result<T>: a value or an Error, for failures that are part of normal operation (a full disk, a
// bad file). Exceptions stay for programming errors only.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace doorstep {

struct Error {
    std::string Message;  // Names what is wrong, in words an operator can act on.
    int Code = 0;         // Subsystem code (an SQLite result code, errno, ...); 0 when none.
};

template <typename T>
class [[nodiscard]] Result {
  public:
    Result(T value) : Value_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : Value_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool Ok() const { return std::holds_alternative<T>(Value_); }
    explicit operator bool() const { return Ok(); }
    T& Value() { return std::get<T>(Value_); }
    const T& Value() const { return std::get<T>(Value_); }
    T* operator->() { return &Value(); }
    const T* operator->() const { return &Value(); }
    T& operator*() { return Value(); }
    const T& operator*() const { return Value(); }
    const struct Error& Err() const { return std::get<struct Error>(Value_); }

  private:
    std::variant<T, struct Error> Value_;
};

// Result of an operation that yields nothing but may fail.
struct Done {};
using Status = Result<Done>;
inline Status Success() {
    return Done{};
}

}  // namespace doorstep
