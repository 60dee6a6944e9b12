#include "MainWindow.h"
#include "ui_MainWindow.h"

#include "common/Version.h"

#include <QAction>
#include <QApplication>
#include <QMessageBox>

namespace vf::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
{
    m_ui->setupUi(this);
    setWindowTitle(QStringLiteral("VerifyFull"));
    m_ui->versionLabel->setText(tr("Version %1").arg(QString::fromLatin1(vf::kVersion)));
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About VerifyFull"),
                           tr("<b>VerifyFull %1</b><p>Get PostgreSQL TLS connections right: "
                              "settings, certificates and a clear diagnosis.</p>")
                               .arg(QString::fromLatin1(vf::kVersion)));
    });
}

MainWindow::~MainWindow() = default;

} // namespace vf::ui
