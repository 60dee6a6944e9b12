// The application icon: the SVG embedded in the executable (resources/resources.qrc, the window icon)
// loads through QIcon and renders, and the committed 48/128/256 px PNGs that are installed into the
// hicolor theme still match the SVG they are rendered from (resources/render-icons).

#include "common/Version.h"

#include <QFile>
#include <QIcon>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>
#include <QTest>

#include <cstdlib>

using namespace Qt::StringLiterals;

namespace {

// Largest mean per-channel difference (0..255) between a committed PNG and Qt's rendering of the
// SVG: librsvg and QtSvg anti-alias edges slightly differently, a changed drawing differs far more.
constexpr double kTolerance = 2.0;

QString resourceSvg()
{
    return u":/icons/"_s + QLatin1StringView(vf::kAppId) + u".svg"_s;
}

QString committedPng(int size)
{
    return u"%1/resources/icons/%2x%2/%3.png"_s.arg(QStringLiteral(VF_SOURCE_DIR))
        .arg(size)
        .arg(QLatin1StringView(vf::kAppId));
}

QImage renderSvg(const QString& path, int size)
{
    QSvgRenderer renderer(path);
    if (!renderer.isValid())
        return {};
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    renderer.render(&painter);
    painter.end();
    return image;
}

// Mean absolute difference over every channel of two images of the same size, compared
// premultiplied so that the colour of fully transparent pixels does not count.
double meanDifference(const QImage& a, const QImage& b)
{
    const QImage x = a.convertToFormat(QImage::Format_RGBA8888_Premultiplied);
    const QImage y = b.convertToFormat(QImage::Format_RGBA8888_Premultiplied);
    if (x.size() != y.size() || x.isNull())
        return 255.0;
    quint64 sum = 0;
    for (int row = 0; row < x.height(); ++row) {
        const uchar* p = x.constScanLine(row);
        const uchar* q = y.constScanLine(row);
        for (int i = 0; i < x.width() * 4; ++i)
            sum += quint64(std::abs(int(p[i]) - int(q[i])));
    }
    return double(sum) / (double(x.width()) * double(x.height()) * 4.0);
}

} // namespace

class TestAppIcon : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void embeddedSvgIsAWindowIcon();
    void committedPngsMatchTheSvg_data();
    void committedPngsMatchTheSvg();
};

void TestAppIcon::embeddedSvgIsAWindowIcon()
{
    QVERIFY2(QFile::exists(resourceSvg()), qPrintable(resourceSvg()));
    const QSvgRenderer renderer(resourceSvg());
    QVERIFY(renderer.isValid());
    QCOMPARE(renderer.defaultSize(), QSize(256, 256));

    // QIcon reads an SVG through the icon engine plugin of QtSvg: what setWindowIcon gets.
    const QIcon icon(resourceSvg());
    QVERIFY(!icon.isNull());
    const QImage image = icon.pixmap(QSize(48, 48)).toImage();
    QCOMPARE(image.size(), QSize(48, 48));
    QCOMPARE(qAlpha(image.pixel(0, 0)), 0);     // a shield, not a square: the corners stay clear
    QCOMPARE(qAlpha(image.pixel(24, 24)), 255); // and the middle is drawn
}

void TestAppIcon::committedPngsMatchTheSvg_data()
{
    QTest::addColumn<int>("size");
    for (const int size : {48, 128, 256})
        QTest::addRow("%dx%d", size, size) << size;
}

void TestAppIcon::committedPngsMatchTheSvg()
{
    QFETCH(int, size);
    const QImage png(committedPng(size));
    QVERIFY2(!png.isNull(), qPrintable(committedPng(size)));
    QCOMPARE(png.size(), QSize(size, size));
    QVERIFY(png.hasAlphaChannel());

    const QImage rendered = renderSvg(resourceSvg(), size);
    QVERIFY(!rendered.isNull());
    const double difference = meanDifference(png, rendered);
    QVERIFY2(difference < kTolerance,
             qPrintable(u"%1 differs from the SVG by %2 per channel: run resources/render-icons"_s
                            .arg(committedPng(size))
                            .arg(difference)));

    // The measure tells drawings apart: the icon is not symmetric (the check badge sits on the
    // right), and an empty image is far off.
    QVERIFY(meanDifference(png, rendered.mirrored(true, false)) > kTolerance);
    QImage empty(size, size, QImage::Format_ARGB32_Premultiplied);
    empty.fill(Qt::transparent);
    QVERIFY(meanDifference(png, empty) > 10 * kTolerance);
}

QTEST_MAIN(TestAppIcon)
#include "tst_appicon.moc"
