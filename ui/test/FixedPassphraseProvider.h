#pragma once

#include "tls/PassphraseProvider.h"

#include <QByteArray>

#include <optional>

namespace vf::ui {

// Answers the core's passphrase question with the passphrase the person typed before the test
// started (the dialog must not run on the worker thread). Kept only for one test and wiped when the
// test ends; never stored or logged.
class FixedPassphraseProvider final : public tls::PassphraseProvider
{
public:
    explicit FixedPassphraseProvider(std::optional<QByteArray> passphrase);
    ~FixedPassphraseProvider() override;
    Q_DISABLE_COPY_MOVE(FixedPassphraseProvider)

    std::optional<QByteArray> passphraseFor(const QString& keyPath) override;
    int timesAsked() const { return m_asked; }

private:
    std::optional<QByteArray> m_passphrase;
    int m_asked = 0;
};

} // namespace vf::ui
