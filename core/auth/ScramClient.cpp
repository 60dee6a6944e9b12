#include "ScramClient.h"

#include <QCoreApplication>
#include <QStringList>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>

namespace vf::auth {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::auth::ScramClient)
};

constexpr int kNonceBytes = 18; // SCRAM_RAW_NONCE_LEN
constexpr int kKeyLen = 32;     // SHA-256

QByteArray hmac(const QByteArray& key, const QByteArray& data)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.constData(), int(key.size()),
         reinterpret_cast<const unsigned char*>(data.constData()), size_t(data.size()), out.data(), &len);
    return QByteArray(reinterpret_cast<const char*>(out.data()), qsizetype(len));
}

QByteArray sha256(const QByteArray& data)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    EVP_Digest(data.constData(), size_t(data.size()), out.data(), &len, EVP_sha256(), nullptr);
    return QByteArray(reinterpret_cast<const char*>(out.data()), qsizetype(len));
}

QByteArray xorBytes(QByteArray a, const QByteArray& b)
{
    for (qsizetype i = 0; i < a.size() && i < b.size(); ++i)
        a[i] = char(a[i] ^ b[i]);
    return a;
}

std::unexpected<Error> scramError(const char* code, const QString& message)
{
    return makeError(QString::fromLatin1(code), message,
                     Tr::tr("The server's SCRAM authentication messages are not what the protocol requires; "
                            "this is a server or proxy fault, or someone is interfering."));
}

// Reads "x=value" attribute `name` at the start of `rest`; advances past the following comma.
bool readAttribute(QByteArrayView& rest, char name, QByteArray* value)
{
    if (rest.size() < 2 || rest[0] != name || rest[1] != '=')
        return false;
    rest = rest.sliced(2);
    const qsizetype comma = rest.indexOf(',');
    if (comma < 0) {
        *value = rest.toByteArray();
        rest = {};
    } else {
        *value = rest.first(comma).toByteArray();
        rest = rest.sliced(comma + 1);
    }
    return true;
}

bool isNonAsciiSpace(char32_t c)
{
    return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

bool isMappedToNothing(char32_t c)
{
    return c == 0x00AD || c == 0x034F || c == 0x1806 || (c >= 0x180B && c <= 0x180D) || c == 0x200B ||
           c == 0x200C || c == 0x200D || c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF;
}

bool isProhibited(char32_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)         // C.2 control characters
           || (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000           // C.3 private use
           || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE // C.4 non-characters
           || (c >= 0xD800 && c <= 0xDFFF)                           // C.5 surrogates
           || (c >= 0xFFF9 && c <= 0xFFFD)                           // C.6
           || (c >= 0x2FF0 && c <= 0x2FFB)                           // C.7
           || (c >= 0x0340 && c <= 0x0341) || (c >= 0x200E && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x206A && c <= 0x206F)                       // C.8
           || c == 0xE0001 || (c >= 0xE0020 && c <= 0xE007F); // C.9
}

} // namespace

QByteArray ScramClient::saslPrep(const QByteArray& password)
{
    // Pure ASCII without control characters is its own SASLprep; libpq's pg_saslprep() likewise
    // returns such passwords unchanged, and gives up (raw password) on anything it cannot prepare.
    bool ascii = true;
    for (const char ch : password) {
        if (static_cast<unsigned char>(ch) >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii)
        return password;
    const QString s = QString::fromUtf8(password);
    if (s.toUtf8() != password)
        return password; // not valid UTF-8
    QString mapped;
    for (const char32_t c : s.toUcs4()) {
        if (isMappedToNothing(c))
            continue;
        if (isNonAsciiSpace(c))
            mapped += u' ';
        else
            mapped += QString::fromUcs4(&c, 1);
    }
    const QString normalized = mapped.normalized(QString::NormalizationForm_KC);
    for (const char32_t c : normalized.toUcs4()) {
        if (isProhibited(c) || isNonAsciiSpace(c))
            return password;
    }
    return normalized.toUtf8();
}

ScramClient::ScramClient(const QByteArray& password, Binding binding, const QByteArray& cbindData,
                         const QByteArray& nonce, const QByteArray& user)
    : m_password(saslPrep(password))
    , m_binding(binding)
    , m_cbindData(cbindData)
    , m_nonce(nonce)
{
    if (m_nonce.isEmpty()) {
        QByteArray raw(kNonceBytes, '\0');
        if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), kNonceBytes) != 1)
            qFatal("RAND_bytes failed");
        m_nonce = raw.toBase64();
    }
    m_clientFirstBare = "n=" + user + ",r=" + m_nonce;
}

ScramClient::~ScramClient()
{
    m_password.fill('\0');
}

const char* ScramClient::mechanism() const
{
    return m_binding == Binding::TlsServerEndPoint ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256";
}

QByteArray ScramClient::gs2Header() const
{
    switch (m_binding) {
    case Binding::None:
        return "n,,";
    case Binding::ClientSupportsOnly:
        return "y,,";
    case Binding::TlsServerEndPoint:
        return "p=tls-server-end-point,,";
    }
    return "n,,";
}

QByteArray ScramClient::clientFirstMessage() const
{
    return gs2Header() + m_clientFirstBare;
}

Result<QByteArray> ScramClient::handleServerFirst(const QByteArray& serverFirst)
{
    if (m_state != State::Initial)
        return scramError("scram.state", QStringLiteral("invalid SCRAM exchange state"));
    m_state = State::Failed;
    QByteArrayView rest(serverFirst);
    QByteArray nonce;
    QByteArray saltB64;
    QByteArray iterText;
    if (!readAttribute(rest, 'r', &nonce))
        return scramError("scram.malformed",
                          QStringLiteral("malformed SCRAM message (attribute \"r\" expected)"));
    // libpq (read_server_first_message) only requires the server nonce to start with ours.
    if (nonce.size() < m_nonce.size() || !nonce.startsWith(m_nonce))
        return scramError("scram.nonce-mismatch", QStringLiteral("invalid SCRAM response (nonce mismatch)"));
    if (!readAttribute(rest, 's', &saltB64))
        return scramError("scram.malformed",
                          QStringLiteral("malformed SCRAM message (attribute \"s\" expected)"));
    const auto salt = QByteArray::fromBase64Encoding(saltB64, QByteArray::AbortOnBase64DecodingErrors);
    if (!salt || salt.decoded.isEmpty())
        return scramError("scram.malformed", QStringLiteral("malformed SCRAM message (invalid salt)"));
    if (!readAttribute(rest, 'i', &iterText))
        return scramError("scram.malformed",
                          QStringLiteral("malformed SCRAM message (attribute \"i\" expected)"));
    bool ok = false;
    const int iterations = iterText.toInt(&ok);
    if (!ok || iterations < 1)
        return scramError("scram.malformed",
                          QStringLiteral("malformed SCRAM message (invalid iteration count)"));
    if (iterations > kMaxIterations)
        return makeError(
            QStringLiteral("scram.too-many-iterations"),
            Tr::tr("SCRAM iteration count %1 is above the limit of %2").arg(iterations).arg(kMaxIterations),
            Tr::tr("The server asks for an unreasonable amount of password hashing; libpq would compute it "
                   "for minutes. Check the server's scram_iterations."));
    // libpq only notes trailing garbage (not fatal); we ignore it the same way.

    m_serverFirst = serverFirst;
    QByteArray cbindInput = gs2Header();
    if (m_binding == Binding::TlsServerEndPoint)
        cbindInput += m_cbindData;
    m_clientFinalWithoutProof = "c=" + cbindInput.toBase64() + ",r=" + nonce;

    QByteArray salted(kKeyLen, '\0');
    PKCS5_PBKDF2_HMAC(m_password.constData(), int(m_password.size()),
                      reinterpret_cast<const unsigned char*>(salt.decoded.constData()),
                      int(salt.decoded.size()), iterations, EVP_sha256(), kKeyLen,
                      reinterpret_cast<unsigned char*>(salted.data()));
    const QByteArray clientKey = hmac(salted, "Client Key");
    const QByteArray storedKey = sha256(clientKey);
    const QByteArray authMessage = m_clientFirstBare + ',' + m_serverFirst + ',' + m_clientFinalWithoutProof;
    const QByteArray proof = xorBytes(clientKey, hmac(storedKey, authMessage));
    m_serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
    salted.fill('\0');
    m_password.fill('\0');
    m_password.clear();
    m_state = State::SentFinal;
    return m_clientFinalWithoutProof + ",p=" + proof.toBase64();
}

Result<void> ScramClient::handleServerFinal(const QByteArray& serverFinal)
{
    if (m_state != State::SentFinal)
        return scramError("scram.state",
                          QStringLiteral("AuthenticationSASLFinal received from server, but SASL "
                                         "authentication was not completed"));
    m_state = State::Failed;
    QByteArrayView rest(serverFinal);
    QByteArray value;
    if (readAttribute(rest, 'e', &value))
        return makeError(
            QStringLiteral("scram.server-error"),
            QStringLiteral("error received from server in SCRAM exchange: %1").arg(QString::fromUtf8(value)),
            Tr::tr("The server rejected the SCRAM exchange."));
    if (!readAttribute(rest, 'v', &value))
        return scramError("scram.malformed",
                          QStringLiteral("malformed SCRAM message (attribute \"v\" expected)"));
    const auto signature = QByteArray::fromBase64Encoding(value, QByteArray::AbortOnBase64DecodingErrors);
    if (!signature || signature.decoded.size() != kKeyLen)
        return scramError("scram.malformed",
                          QStringLiteral("malformed SCRAM message (invalid server signature)"));
    if (CRYPTO_memcmp(signature.decoded.constData(), m_serverSignature.constData(), size_t(kKeyLen)) != 0)
        return makeError(QStringLiteral("scram.bad-server-signature"),
                         QStringLiteral("incorrect server signature"),
                         Tr::tr("The server could not prove it knows your password's verifier: it is not the "
                                "server you think, or something between you is interfering."));
    m_state = State::Done;
    return {};
}

} // namespace vf::auth
