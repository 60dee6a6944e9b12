#pragma once

#include "security/SslModeAssessment.h"

#include <QString>
#include <QWidget>

#include <memory>
#include <optional>

namespace Ui {
class RiskTable;
}

namespace vf::ui {

class SslModeRiskModel;

// The sslmode risk table of a profile: libpq's six modes × eavesdropping protection × MITM
// protection × statement, with the mode the profile behaves as highlighted; beside it what the core's
// assessment says about this profile (verdict, reasons, threats, why libpq would refuse), and the
// steps to verify-full, each with a one-click "Apply" when the files already allow it.
class RiskTable final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RiskTable)

public:
    explicit RiskTable(QWidget* parent = nullptr);
    ~RiskTable() override;

    // Shows an assessment; chosenSslmode is the profile's sslmode as libpq applies it.
    void setAssessment(const security::SslModeAssessment& assessment);
    // No profile: the bare table.
    void clear();

    const std::optional<security::SslModeAssessment>& assessment() const { return m_assessment; }
    SslModeRiskModel* model() const { return m_model; }
    // The one-line verdict, as shown ("Weak: require behaves as verify-ca").
    QString verdictText() const;

Q_SIGNALS:
    // "Apply" on a next step: set keyword=value in the profile.
    void applyRequested(const QString& keyword, const QString& value);
    // A step the person has to complete (choose a file…): show that setting.
    void showSettingRequested(const QString& keyword);

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void fitTableHeight();
    void rebuildSteps();

    std::unique_ptr<Ui::RiskTable> m_ui;
    SslModeRiskModel* m_model = nullptr;
    std::optional<security::SslModeAssessment> m_assessment;
};

} // namespace vf::ui
