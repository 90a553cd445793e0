#pragma once
// A job's plan is built on rank 0 (which reads the files it needs) and broadcast once: its fields
// are packed into one byte buffer, the buffer's size and bytes are broadcast, and every other rank
// unpacks them in the same order. A plan lists its fields with a member template
//
//   template <class F> void fields(F&& f) { f(window); f(partition.first); f(options); ... }
//
// Supported fields: trivially copyable values, std::string, std::vector of trivially copyable
// values or of strings, and nested types with their own fields().
#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/distributed/communicator.hpp"

namespace mic {
namespace detail {

template <class T>
concept has_fields = requires(T& t) { t.fields([](auto&) {}); };

class plan_writer {
public:
    template <class T> void operator()(const T& value) {
        if constexpr (has_fields<T>) {
            const_cast<T&>(value).fields(*this);
        } else if constexpr (std::is_same_v<T, std::string>) {
            put_size(value.size());
            put(value.data(), value.size());
        } else if constexpr (requires { typename T::value_type; value.data(); value.size(); }) {
            put_size(value.size());
            if constexpr (std::is_trivially_copyable_v<typename T::value_type>) put(value.data(), value.size() * sizeof(typename T::value_type));
            else for (const auto& item : value) (*this)(item);
        } else {
            static_assert(std::is_trivially_copyable_v<T>, "a plan field must be trivially copyable, a string, a vector or have fields()");
            put(&value, sizeof(T));
        }
    }
    std::vector<std::byte> bytes;

private:
    void put_size(std::size_t n) { put(&n, sizeof n); }
    void put(const void* p, std::size_t n) {
        const auto* b = static_cast<const std::byte*>(p);
        bytes.insert(bytes.end(), b, b + n);
    }
};

class plan_reader {
public:
    explicit plan_reader(const std::vector<std::byte>& bytes): bytes_(&bytes) {}
    template <class T> void operator()(T& value) {
        if constexpr (has_fields<T>) {
            value.fields(*this);
        } else if constexpr (std::is_same_v<T, std::string>) {
            value.resize(get_size());
            get(value.data(), value.size());
        } else if constexpr (requires { typename T::value_type; value.data(); value.size(); value.resize(0); }) {
            value.resize(get_size());
            if constexpr (std::is_trivially_copyable_v<typename T::value_type>) get(value.data(), value.size() * sizeof(typename T::value_type));
            else for (auto& item : value) (*this)(item);
        } else {
            get(&value, sizeof(T));
        }
    }

private:
    std::size_t get_size() {
        std::size_t n = 0;
        get(&n, sizeof n);
        return n;
    }
    void get(void* p, std::size_t n) {
        if (n) std::memcpy(p, bytes_->data() + at_, n);
        at_ += n;
    }
    const std::vector<std::byte>* bytes_;
    std::size_t at_ = 0;
};

} // namespace detail

// Collective: root's `plan` into every rank's `plan` (one broadcast of the size, one of the bytes).
template <class Plan> void broadcast_plan(const communicator& comm, Plan& plan, int root = 0) {
    detail::plan_writer writer;
    if (comm.rank() == root) writer(plan);
    comm.broadcast(writer.bytes, root);
    if (comm.rank() != root) {
        detail::plan_reader reader(writer.bytes);
        reader(plan);
    }
}

} // namespace mic
