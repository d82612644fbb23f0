package se.regionorebrolan.bhv.reporting.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import se.regionorebrolan.bhv.localstack.RealInfrastructureResource;
import se.regionorebrolan.bhv.localstack.TestInfrastructure;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}): sign-in with a
 * token, the region's figures equal to the JSON report's, a centre that sees only its own centre and saves its
 * narrative, the PDF fetched with the session cookie holding the figures, sign-out; screenshots in
 * {@code target/screenshots/} (the README shows them).
 */
@QuarkusTest
@WithTestResource(RealInfrastructureResource.class)
class ConsoleBrowserTest {

    private static final int YEAR = SocialstyrelsenReportTest.YEAR;
    private static ChromeDriver browser;

    @TestHTTPResource("/console/")
    URL console;

    @BeforeEach
    void theYear() {
        new SocialstyrelsenReportTest().sendTheYear();
        SocialstyrelsenReportTest.awaitReport(() -> given().get(SocialstyrelsenReportTest.REPORT).then()
                .body("grantUse.stateGrantPayoutLines", equalTo(7)));
        if (browser == null) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1400",
                    "--lang=sv-SE");
            browser = new ChromeDriver(new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
        }
        browser.manage().deleteAllCookies();
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    @Test
    void theRegionSeesTheYearAsTheJsonReportHasItAndDownloadsThePdf() throws Exception {
        signIn(TestInfrastructure.get().tokens().mint("barnhalsovarden", List.of("reporting"), null));
        browser.get(console + "?year=" + YEAR);
        JsonPath report = given().get(SocialstyrelsenReportTest.REPORT).then().statusCode(200).extract().jsonPath();
        Map<String, String> figures = figures();
        assertEquals(report.getString("results.overall.childrenReached"), figures.get("Barn som nåtts"));
        assertEquals(report.getString("results.overall.homeVisits"), figures.get("Hembesök"));
        assertEquals(report.getString("results.overall.jointVisits"),
                figures.get("Gemensamma hembesök med socialtjänsten"));
        assertEquals(report.getString("results.overall.medianVisitsPerChild"), figures.get("Median hembesök per barn"));
        assertEquals(report.getString("grantUse.spent") + " kr", text("[data-grant='Förbrukat']"));
        assertEquals(report.getString("grantUse.unused") + " kr", text("[data-grant='Oförbrukat']"));
        assertEquals(report.getString("grantUse.amountReceived") + " kr", text("[data-grant='Erhållet statsbidrag']"));
        Map<String, String> verdicts = Map.of("MET", "Uppfyllt", "PARTLY_MET", "Delvis uppfyllt",
                "NOT_MET", "Inte uppfyllt");
        for (int c = 1; c <= 5; c++) {
            assertEquals(verdicts.get(report.getString("conditions[" + (c - 1) + "].verdict")),
                    text("[data-verdict='" + c + "']"), "condition " + c);
        }
        assertTrue(browser.getPageSource().contains("<svg"), "the charts are SVG");
        assertFalse(browser.findElements(By.cssSelector("svg title")).isEmpty(), "the charts have text alternatives");
        screenshot("console-region");

        // the download link works with the session cookie alone, and the PDF holds the figures
        String href = browser.findElement(By.linkText("PDF")).getAttribute("href");
        Cookie session = browser.manage().getCookieNamed(ConsoleResource.COOKIE);
        assertNotNull(session, "signed in: the session cookie");
        assertTrue(session.isHttpOnly(), "the session cookie is HttpOnly");
        byte[] pdf = io.restassured.RestAssured.given().noFilters().cookie(ConsoleResource.COOKIE, session.getValue())
                .get(href).then().statusCode(200).contentType("application/pdf").extract().asByteArray();
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            var stripper = new org.apache.pdfbox.text.PDFTextStripper();
            stripper.setSortByPosition(true);
            String text = stripper.getText(document);
            assertTrue(text.contains("Barn som nåtts " + report.getString("results.overall.childrenReached")), text);
            assertTrue(text.contains(report.getString("grantUse.stateGrantPayouts")), text);
        }

        submit(By.cssSelector("header button"));
        assertNotNull(browser.findElement(By.id("token")), "signed out: the sign-in form again");
        assertNull(browser.manage().getCookieNamed(ConsoleResource.COOKIE));
    }

    @Test
    void aCentreSeesOnlyItsOwnCentreAndSavesItsNarrative() throws Exception {
        signIn(TestInfrastructure.get().tokens().mint("vivalla", List.of("centre"),
                SocialstyrelsenReportTest.VIVALLA));
        browser.get(console + "?year=" + YEAR);
        String page = browser.getPageSource();
        assertTrue(page.contains("Vivalla vårdcentral"), page);
        assertFalse(page.contains("Lindesberg"), "no other centre on a centre's page");
        JsonPath own = given().get(SocialstyrelsenReportTest.REPORT).then().extract().jsonPath();
        String path = "results.perCentre.find { it.centreId == '" + SocialstyrelsenReportTest.VIVALLA + "' }.results.";
        Map<String, String> figures = figures();
        assertEquals(own.getString(path + "homeVisits"), figures.get("Hembesök"));
        assertEquals(own.getString(path + "jointVisits"), figures.get("Gemensamma hembesök med socialtjänsten"));
        assertEquals(own.getString(path + "childrenReached"), figures.get("Barn som nåtts"));
        screenshot("console-centre");

        // the narrative of the next year (the report year's narrative is SocialstyrelsenReportTest's)
        browser.get(console + "?year=" + (YEAR + 1));
        WebElement form = browser.findElement(By.id("form"));
        form.clear();
        form.sendKeys("Hembesök tillsammans med socialtjänsten i Vivalla.");
        WebElement plan = browser.findElement(By.id("plan"));
        plan.clear();
        plan.sendKeys("Fler familjer nästa år.");
        submit(By.cssSelector("main form button"));
        assertTrue(browser.getPageSource().contains("Redovisningen är sparad."));
        given().get("/api/v1/reports/regional/" + (YEAR + 1)).then().statusCode(200)
                .body("centres[0].narrative.plannedDevelopment", equalTo("Fler familjer nästa år."));
    }

    @Test
    void financeSeesThePayoutsPerCentreAndMonth() throws Exception {
        signIn(TestInfrastructure.get().tokens().mint("ekonom", List.of("finance"), null));
        browser.get(console + "?year=" + YEAR);
        String page = browser.getPageSource();
        assertTrue(page.contains("Utbetalningar per mottagning och månad"), page);
        assertTrue(page.contains("Vivalla vårdcentral"), page);
        assertFalse(text("[data-total='all']").isBlank());
        // no compensation-service in this test: the page says it cannot tell the closed months (MoneyThroughTimeIT
        // shows them from a whole stack)
        assertTrue(page.contains("kunde inte hämtas"), page);
        screenshot("console-finance");
    }

    @Test
    void theAdminEntersTheGrantAndACostAndRunsTheAllocationModel() throws Exception {
        int year = YEAR + 1; // a year of its own: the report year's grant stays as the other tests expect it
        signIn(TestInfrastructure.get().tokens().mint("cbhv", List.of("bhv-admin"), null));
        browser.get(console + "?year=" + year);
        browser.findElement(By.id("amountReceived")).sendKeys("1250000.00");
        browser.findElement(By.id("projectCode")).sendKeys("BHV-" + year);
        submit(By.cssSelector("form[action='/console/grant'] button"));
        assertTrue(browser.getPageSource().contains("Sparat."), browser.getPageSource());
        given().get("/api/v1/grants/" + year).then().statusCode(200).body("amountReceived", equalTo("1250000.00"));
        assertEquals("1250000.00 kr", text("[data-grant='Erhållet statsbidrag']"));

        browser.findElement(By.id("reference")).sendKeys("F-1");
        browser.findElement(By.id("amount")).sendKeys("-5");
        browser.findElement(By.id("date")).sendKeys("01012032");
        submit(By.cssSelector("form[action='/console/cost'] button"));
        String refused = text("[role='alert']");
        assertTrue(refused.contains("amount"), refused);
        given().get("/api/v1/grants/" + year + "/costs").then().statusCode(200).body("size()", equalTo(0));

        Path csv = Files.createTempFile("recipients", ".csv");
        Files.writeString(csv, "code,name,kind,children0to5,children0to5InAreaType1or2\n"
                + "1880,Örebro,MUNICIPALITY,3000,1000\n1883,Karlskoga,MUNICIPALITY,1000,0\n");
        browser.findElement(By.id("file")).sendKeys(csv.toString());
        WebElement total = browser.findElement(By.id("total"));
        total.clear();
        total.sendKeys("1000000");
        submit(By.cssSelector("form[action='/console/allocation'] button"));
        JsonPath expected = given().contentType("text/csv; charset=UTF-8").body(Files.readString(csv))
                .post("/api/v1/allocations?total=1000000").then().statusCode(200).extract().jsonPath();
        assertEquals(expected.getString("allocations.find { it.code == '1880' }.amount"), text("[data-amount='1880']"));
        assertEquals(expected.getString("allocations.find { it.code == '1883' }.amount"), text("[data-amount='1883']"));
        screenshot("console-allocation");
    }

    @Test
    void aTokenThatIsNotValidSignsNoOneIn() {
        browser.get(console.toString());
        browser.findElement(By.id("token")).sendKeys("not.a.token");
        submit(By.cssSelector("main form button"));
        assertTrue(browser.getPageSource().contains("Token ogiltig"));
        assertNull(browser.manage().getCookieNamed(ConsoleResource.COOKIE));
    }

    private void signIn(String token) {
        browser.get(console.toString());
        browser.findElement(By.id("token")).sendKeys(token);
        submit(By.cssSelector("main form button"));
        assertNotNull(browser.manage().getCookieNamed(ConsoleResource.COOKIE), "signed in");
        assertFalse(browser.findElements(By.cssSelector("header form")).isEmpty(), "the signed-in page");
    }

    /** Whether the current page has loaded (false while a navigation is still under way). */
    private static boolean loaded() {
        try {
            return "complete".equals(((org.openqa.selenium.JavascriptExecutor) browser)
                    .executeScript("return document.readyState"));
        } catch (org.openqa.selenium.WebDriverException navigating) {
            return false;
        }
    }

    /**
     * Clicks a form's button and waits for the answer's page: the click returns once the form is sent, the page is
     * replaced a moment later.
     */
    private static void submit(By button) {
        WebElement before = browser.findElement(By.tagName("html"));
        browser.findElement(button).click();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                before.isDisplayed();
            } catch (org.openqa.selenium.WebDriverException replaced) {
                // stale — or, caught mid-navigation, chromedriver's "Node with given id does not belong to the
                // document": either way the page was replaced
                if (loaded()) {
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("no answer to the form within 15 s");
    }

    private static Map<String, String> figures() {
        Map<String, String> figures = new HashMap<>();
        for (WebElement figure : browser.findElements(By.cssSelector("[data-figure]"))) {
            figures.put(figure.getAttribute("data-figure"), figure.getText());
        }
        return figures;
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static void screenshot(String name) throws Exception {
        Path file = Path.of("target/screenshots/" + name + ".png");
        Files.createDirectories(file.getParent());
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    }
}
