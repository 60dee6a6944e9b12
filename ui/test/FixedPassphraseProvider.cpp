#include "FixedPassphraseProvider.h"

namespace vf::ui {

FixedPassphraseProvider::FixedPassphraseProvider(std::optional<QByteArray> passphrase)
    : m_passphrase(std::move(passphrase))
{}

FixedPassphraseProvider::~FixedPassphraseProvider()
{
    if (m_passphrase) {
        m_passphrase->fill('\0'); // detaches if shared, then overwrites our copy
        m_passphrase.reset();
    }
}

std::optional<QByteArray> FixedPassphraseProvider::passphraseFor(const QString&)
{
    ++m_asked;
    return m_passphrase;
}

} // namespace vf::ui
