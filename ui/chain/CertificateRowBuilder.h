#pragma once

#include "CertificateRow.h"
#include "pki/HostNameMatcher.h"

#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace vf::ui {

// Turns certificates into chain-browser rows. Pure functions, safe on any thread: the loader calls
// them off the GUI thread for big files.
class CertificateRowBuilder final
{
public:
    CertificateRowBuilder() = delete;

    // The rows of a verified chain: the built chain leaf → root, then the presented certificates that
    // are not part of it.
    static QList<CertificateRow> fromVerification(const pki::ChainVerification& verification,
                                                  const pki::HostNameMatch* hostName, bool anchorsFromFile);
    // The rows of certificates seen one by one (a bundle of roots, unrelated certificates), in order.
    static QList<CertificateRow> fromCertificates(const QList<pki::Certificate>& certificates,
                                                  const QDateTime& now);
    // The same for the slice [first, first + count) of a big set, whose subjects (subjectsOf()) tell
    // whether an issuer is in the set.
    static QList<CertificateRow> fromCertificates(const QList<pki::Certificate>& certificates,
                                                  qsizetype first, qsizetype count,
                                                  const QSet<QString>& subjects, const QDateTime& now);
    static QSet<QString> subjectsOf(const QList<pki::Certificate>& certificates);
    // A file that reads as a chain (a leaf or an intermediate first, each followed by its issuer) is
    // checked as one: the verification uses the file's own self-signed certificates as anchors.
    static bool looksLikeChain(const QList<pki::Certificate>& certificates);
    static std::optional<pki::ChainVerification>
    verifyAsFileChain(const QList<pki::Certificate>& certificates);
    // What a file of certificates becomes: a verified chain when it looks like one, else one by one.
    static QList<CertificateRow> forFile(const QList<pki::Certificate>& certificates, const QDateTime& now);

    // The largest file still checked as a chain; bigger ones are bundles.
    static constexpr int kMaxChainLength = 32;
};

} // namespace vf::ui
