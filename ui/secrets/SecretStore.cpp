#include "SecretStore.h"

#include "common/Version.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

Q_LOGGING_CATEGORY(lcSecrets, "vf.secrets")

constexpr int kProbeTimeoutMs = 10000;

// Read by checkAvailability(), never written.
const QString kProbeKey = u"verifyfull-availability-probe"_s;

SecretStore::Status statusOf(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return SecretStore::Status::Ok;
    case QKeychain::EntryNotFound:
        return SecretStore::Status::NotFound;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return SecretStore::Status::Denied;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return SecretStore::Status::Unavailable;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    return SecretStore::Status::Failed;
}

} // namespace

SecretStore::SecretStore(QObject* parent)
    : SecretStore(QString::fromLatin1(vf::kAppId), parent)
{}

SecretStore::SecretStore(const QString& service, QObject* parent)
    : QObject(parent)
    , m_service(service)
{}

SecretStore::~SecretStore() = default;

QString SecretStore::keyFor(const QUuid& profile, SecretKind kind)
{
    return profile.toString(QUuid::WithoutBraces) + u'/' + secretKeyword(kind);
}

QString SecretStore::statusName(Status status)
{
    switch (status) {
    case Status::Ok:
        return u"ok"_s;
    case Status::NotFound:
        return u"not-found"_s;
    case Status::Unavailable:
        return u"unavailable"_s;
    case Status::Denied:
        return u"denied"_s;
    case Status::Failed:
        break;
    }
    return u"failed"_s;
}

void SecretStore::setAvailability(Availability availability)
{
    if (m_availability == availability)
        return;
    m_availability = availability;
    qCDebug(lcSecrets) << "keychain availability:" << availability;
    Q_EMIT availabilityChanged(availability);
}

void SecretStore::checkAvailability()
{
    if (m_availability == Availability::Checking)
        return;
    setAvailability(Availability::Checking);
    start(Operation::Probe, kProbeKey, {}, this, {});
    // A keychain that does not answer a lookup in this time is as good as none.
    QTimer::singleShot(kProbeTimeoutMs, this, [this, probe = ++m_probes] {
        if (probe == m_probes && m_availability == Availability::Checking)
            setAvailability(Availability::Unavailable);
    });
}

void SecretStore::read(const QUuid& profile, SecretKind kind, QObject* context, Callback done)
{
    start(Operation::Read, keyFor(profile, kind), {}, context, std::move(done));
}

void SecretStore::write(const QUuid& profile, SecretKind kind, const QString& secret, QObject* context,
                        Callback done)
{
    start(Operation::Write, keyFor(profile, kind), secret, context, std::move(done));
}

void SecretStore::remove(const QUuid& profile, SecretKind kind, QObject* context, Callback done)
{
    start(Operation::Remove, keyFor(profile, kind), {}, context, std::move(done));
}

void SecretStore::start(Operation operation, const QString& key, const QString& secret, QObject* context,
                        Callback done)
{
    // Jobs have no parent: QtKeychain's backends call back into a job's private data, so a job must
    // live until it finishes (it deletes itself then). Only the connection to this store ends with it.
    QKeychain::Job* job = nullptr;
    switch (operation) {
    case Operation::Read:
    case Operation::Probe:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Operation::Write: {
        auto* writeJob = new QKeychain::WritePasswordJob(m_service);
        writeJob->setTextData(secret);
        job = writeJob;
        break;
    }
    case Operation::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    job->setKey(key);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text copy in QSettings
    ++m_pending;
    connect(job, &QKeychain::Job::finished, this,
            [this, operation, key, context = QPointer<QObject>(context), hasContext = context != nullptr,
             done = std::move(done)](QKeychain::Job* finished) {
                Reply reply;
                reply.status = statusOf(finished->error());
                if (reply.status != Status::Ok)
                    reply.error = finished->errorString();
                if (operation == Operation::Read && reply.status == Status::Ok)
                    reply.secret = qobject_cast<QKeychain::ReadPasswordJob*>(finished)->textData();
                qCDebug(lcSecrets).noquote()
                    << "keychain" << int(operation) << key << statusName(reply.status) << reply.error;

                if (operation == Operation::Probe) {
                    // Not found (or found): a keychain answered. Locked or refused: it is there too.
                    const bool there = reply.status == Status::Ok || reply.status == Status::NotFound ||
                                       reply.status == Status::Denied;
                    setAvailability(there ? Availability::Available : Availability::Unavailable);
                } else if (reply.status == Status::Unavailable) {
                    setAvailability(Availability::Unavailable);
                } else if (reply.status != Status::Failed && m_availability != Availability::Checking) {
                    setAvailability(Availability::Available);
                }

                if (done && (!hasContext || context))
                    done(reply);
                reply.secret.fill(u'\0');
                if (--m_pending == 0)
                    Q_EMIT idle();
            });
    job->start();
}

} // namespace vf::ui
