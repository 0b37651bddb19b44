// The scheduler's event payload: a callable stored in place. It holds any
// trivially copyable callable of up to kCapacity bytes (a lambda capturing a
// pointer and a few integers), so scheduling an event never allocates and
// moving one is a plain copy of 32 bytes. Callables that own resources
// (std::string, std::vector, std::function) are refused at compile time: an
// event that needs such state keeps it in its owner and captures a pointer.
#ifndef MQLAB_SIM_EVENT_CALLBACK_H_
#define MQLAB_SIM_EVENT_CALLBACK_H_

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace mqlab::sim {

class EventCallback {
 public:
  static constexpr size_t kCapacity = 24;

  EventCallback() = default;

  template <typename F>
  requires(!std::is_same_v<std::decay_t<F>, EventCallback> &&
           std::is_invocable_v<
               const std::decay_t<F>&>) explicit EventCallback(F&& function) {
    using Stored = std::decay_t<F>;
    static_assert(sizeof(Stored) <= kCapacity,
                  "an event callback captures at most 24 bytes; keep larger "
                  "state in the owner and capture a pointer to it");
    static_assert(
        alignof(Stored) <= alignof(std::max_align_t) && alignof(Stored) <= 8,
        "an event callback's captures must be at most 8-aligned");
    static_assert(std::is_trivially_copyable_v<Stored> &&
                      std::is_trivially_destructible_v<Stored>,
                  "an event callback must be trivially copyable: capture "
                  "pointers and integers, not owning objects");
    ::new (static_cast<void*>(storage_)) Stored(std::forward<F>(function));
    invoke_ = [](const void* storage) {
      (*std::launder(static_cast<const Stored*>(storage)))();
    };
  }

  explicit operator bool() const { return invoke_ != nullptr; }
  void operator()() const { invoke_(storage_); }

 private:
  using Invoke = void (*)(const void* storage);
  Invoke invoke_ = nullptr;
  alignas(8) unsigned char storage_[kCapacity];
};

static_assert(sizeof(EventCallback) == 32);
static_assert(std::is_trivially_copyable_v<EventCallback>);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_EVENT_CALLBACK_H_
