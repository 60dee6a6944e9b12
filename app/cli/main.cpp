// verifyfull-cli: argument handling and output only. The work is done by vf_core (core/report:
// ConnectionCheck, ChainCheck, Diagnosis, ReportJson, ReportText).

#include "TerminalPassphraseProvider.h"
#include "UsageText.h"
#include "common/Version.h"
#include "report/ChainCheck.h"
#include "report/ConnectionCheck.h"
#include "report/ReportJson.h"
#include "report/ReportText.h"
#include "settings/Environment.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTranslator>

#include <csignal>
#include <cstdio>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace vf;

namespace {

enum ExitCode
{
    kOk = 0,
    kFailed = 1,
    kUsage = 2,
    kInterrupted = 130, // 128 + SIGINT, as shells report it
};

// Ctrl-C (SIGINT) and SIGTERM cancel a running check cleanly: the handler only writes the signal
// number to a socket pair, and a QSocketNotifier on the event loop cancels the check, which then
// reports "canceled" like any other outcome. A second signal while canceling ends the process at once.
int g_signalPipe[2] = {-1, -1};
volatile std::sig_atomic_t g_signalCount = 0;

extern "C" void onTerminationSignal(int signal)
{
    if (g_signalCount != 0)
        ::_exit(128 + signal);
    g_signalCount = 1;
    const char byte = char(signal);
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
}

bool installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

// Leaves the process once its output is written. Release builds skip the static destructors and
// library tear-down (Qt's resolver threads, OpenSSL's clean-up: about 1.7 ms, more than a round trip
// to the server), as many command-line tools do; the connection is already closed, every stream is
// flushed. Sanitizer builds exit normally so LeakSanitizer still checks everything.
[[noreturn]] void finish(int code)
{
    std::fflush(stdout);
    std::fflush(stderr);
#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
    std::exit(code);
#else
    ::_exit(code);
#endif
}

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream& err()
{
    static QTextStream stream(stderr);
    return stream;
}

int usageError(const QString& message)
{
    err() << "verifyfull-cli: " << message << "\n"
          << QCoreApplication::translate("vf::cli", "Try \"verifyfull-cli --help\" for more information.")
          << "\n";
    err().flush();
    return kUsage;
}

// An input error (connection string, option value, file): libpq's message, then our explanation.
int inputError(const QString& command, const Error& error, bool json)
{
    if (json) {
        out() << QString::fromUtf8(
            report::ReportJson::toBytes(report::ReportJson::inputError(command, error)));
        out().flush();
    }
    err() << "verifyfull-cli: error: " << error.message << "\n";
    if (!error.explanation.isEmpty())
        err() << error.explanation << "\n";
    err().flush();
    return kUsage;
}

// Parses the options of one command; returns false (after printing why) on invalid usage.
bool parse(QCommandLineParser& parser, const QString& command, const QStringList& args)
{
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOption(QCommandLineOption(QStringList{u"h"_s, u"help"_s}));
    if (!parser.parse(QStringList{u"verifyfull-cli "_s + command} + args)) {
        usageError(parser.errorText());
        return false;
    }
    return true;
}

int runCheck(QCoreApplication& app, report::CheckResult::Kind kind, const QStringList& args)
{
    const QString command = report::CheckResult::kindName(kind);
    QCommandLineParser parser;
    const QCommandLineOption jsonOption(u"json"_s);
    const QCommandLineOption timeoutOption(u"timeout"_s, {}, u"SECONDS"_s);
    parser.addOption(jsonOption);
    parser.addOption(timeoutOption);
    if (!parse(parser, command, args))
        return kUsage;
    if (parser.isSet(u"help"_s)) {
        out() << QCoreApplication::translate("vf::cli", vf::cli::kUsageText);
        return kOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return usageError(QCoreApplication::translate(
                              "vf::cli", "%1 takes one connection string; quote it (\"host=… sslmode=…\")")
                              .arg(command));
    session::CheckOptions options;
    if (parser.isSet(timeoutOption)) {
        bool ok = false;
        const double seconds = parser.value(timeoutOption).toDouble(&ok);
        if (!ok || seconds <= 0 || seconds > 86400)
            return usageError(QCoreApplication::translate(
                                  "vf::cli", "invalid --timeout value \"%1\": give a number of seconds")
                                  .arg(parser.value(timeoutOption)));
        options.phaseTimeoutMs = std::max(1, int(seconds * 1000));
    }
    const bool json = parser.isSet(jsonOption);

    auto prepared = report::ConnectionCheck::prepare(positional.isEmpty() ? QString() : positional.first(),
                                                     settings::Environment::system());
    if (!prepared)
        return inputError(command, prepared.error(), json);

    cli::TerminalPassphraseProvider passphrases;
    report::ConnectionCheck check(std::move(*prepared), kind, options, &passphrases);
    std::unique_ptr<QSocketNotifier> signalNotifier;
    if (installSignalHandlers()) {
        signalNotifier = std::make_unique<QSocketNotifier>(g_signalPipe[0], QSocketNotifier::Read);
        QObject::connect(signalNotifier.get(), &QSocketNotifier::activated, &check, [&] {
            char byte = 0;
            [[maybe_unused]] const ssize_t n = ::read(g_signalPipe[0], &byte, 1);
            signalNotifier->setEnabled(false);
            check.cancel();
        });
    }
    QObject::connect(&check, &report::ConnectionCheck::finished, &app, [&](const report::CheckResult& r) {
        const bool ok = r.report.success;
        if (r.report.canceled) {
            if (json)
                out() << QString::fromUtf8(report::ReportJson::toBytes(report::ReportJson::check(r)));
            out().flush();
            err() << "verifyfull-cli: "
                  << QCoreApplication::translate("vf::cli", "interrupted: the check was canceled") << "\n";
            err().flush();
            QCoreApplication::exit(kInterrupted);
            return;
        }
        if (json) {
            out() << QString::fromUtf8(report::ReportJson::toBytes(report::ReportJson::check(r)));
        } else {
            report::ReportText::Options textOptions;
            textOptions.diagnosis = ok; // on failure the diagnosis goes to stderr
            out() << report::ReportText::check(r, textOptions);
        }
        out().flush();
        if (!ok) {
            err() << "verifyfull-cli: error: " << r.report.libpqMessage << "\n";
            if (!passphrases.refusedKey().isEmpty())
                err() << "verifyfull-cli: "
                      << QCoreApplication::translate(
                             "vf::cli", "the private key \"%1\" is encrypted and standard input is "
                                        "not a terminal to ask for its passphrase: set sslpassword.")
                             .arg(passphrases.refusedKey())
                      << "\n";
            const QString text =
                report::ReportText::findings(r.diagnosis.findings, report::Finding::Severity::Warning);
            if (!text.isEmpty())
                err() << "\n" << QCoreApplication::translate("vf::cli", "Diagnosis:") << "\n" << text;
            err().flush();
        }
        QCoreApplication::exit(ok ? kOk : kFailed);
    });
    check.start();
    finish(app.exec());
}

int runChain(const QStringList& args)
{
    QCommandLineParser parser;
    const QCommandLineOption jsonOption(u"json"_s);
    const QCommandLineOption rootOption(u"root"_s, {}, u"FILE"_s);
    const QCommandLineOption systemOption(u"system"_s);
    const QCommandLineOption crlOption(u"crl"_s, {}, u"FILE"_s);
    const QCommandLineOption crlDirOption(u"crldir"_s, {}, u"DIR"_s);
    const QCommandLineOption hostOption(u"host"_s, {}, u"NAME"_s);
    for (const QCommandLineOption& o :
         {jsonOption, rootOption, systemOption, crlOption, crlDirOption, hostOption})
        parser.addOption(o);
    if (!parse(parser, u"chain"_s, args))
        return kUsage;
    if (parser.isSet(u"help"_s)) {
        out() << QCoreApplication::translate("vf::cli", vf::cli::kUsageText);
        return kOk;
    }
    if (parser.positionalArguments().isEmpty())
        return usageError(
            QCoreApplication::translate("vf::cli", "chain needs at least one certificate file"));
    if (parser.isSet(rootOption) && parser.isSet(systemOption))
        return usageError(
            QCoreApplication::translate("vf::cli", "give either --root FILE or --system, not both"));
    const bool json = parser.isSet(jsonOption);

    report::ChainCheckRequest request;
    request.files = parser.positionalArguments();
    request.rootFile = parser.value(rootOption);
    request.systemRoots = parser.isSet(systemOption);
    request.crlFile = parser.value(crlOption);
    request.crlDirectory = parser.value(crlDirOption);
    request.host = parser.value(hostOption);
    request.homeDirectory = settings::Environment::system().homeDirectory().value_or(QString());
    const auto result = report::ChainCheck::run(request);
    if (!result)
        return inputError(u"chain"_s, result.error(), json);
    if (json)
        out() << QString::fromUtf8(report::ReportJson::toBytes(report::ReportJson::chain(*result)));
    else
        out() << report::ReportText::chain(*result);
    out().flush();
    if (result->failed()) {
        QString message = result->headline;
        for (const report::Finding& f : result->findings) {
            if (f.severity == report::Finding::Severity::Error && !f.libpqMessage.isEmpty()) {
                message = f.libpqMessage;
                break;
            }
        }
        err() << "verifyfull-cli: error: " << message << "\n";
        err().flush();
        return kFailed;
    }
    return kOk;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    // Developer diagnostics stay quiet unless QT_LOGGING_RULES asks for them.
    QLoggingCategory::setFilterRules(u"*.debug=false"_s);
    QCoreApplication::setApplicationName(u"verifyfull-cli"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(vf::kVersion));
    // English plural forms only ("1 day left", "2 days left"); the output itself stays English.
    QTranslator plurals;
    if (plurals.load(u":/i18n/verifyfull_en.qm"_s))
        QCoreApplication::installTranslator(&plurals);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2)
        return usageError(
            QCoreApplication::translate("vf::cli", "missing command (check, inspect or chain)"));
    const QString command = args.at(1);
    const QStringList rest = args.mid(2);
    if (command == u"--help" || command == u"-h" || command == u"help") {
        out() << QCoreApplication::translate("vf::cli", vf::cli::kUsageText);
        return kOk;
    }
    if (command == u"--version" || command == u"-v") {
        out() << "verifyfull-cli " << vf::kVersion << "\n";
        return kOk;
    }
    if (command == u"check")
        return runCheck(app, report::CheckResult::Kind::Check, rest);
    if (command == u"inspect")
        return runCheck(app, report::CheckResult::Kind::Inspect, rest);
    if (command == u"chain")
        return runChain(rest);
    return usageError(
        QCoreApplication::translate("vf::cli", "unknown command \"%1\" (use check, inspect or chain)")
            .arg(command));
}
