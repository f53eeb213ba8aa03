from playwright.sync_api import expect

from readingroom.library.importing import document_import

HOSTILE_PAGE = b"""<html><head><title>Summit &lt;script&gt;alert(1)&lt;/script&gt;</title>
<script>window.pwned = 'head'</script></head><body><article>
<h1 onmouseover="window.pwned='h1'">Kim <img src=x onerror="window.pwned='img'"> met Putin</h1>
<p>Kim Jong Un left the Vostochny Cosmodrome on his train after talks with Vladimir Putin on Wednesday.</p>
<p>Read <a href="javascript:window.pwned='link'">more</a> &lt;script&gt;window.pwned='text'&lt;/script&gt; here,
according to the Kremlin spokesman Dmitry Peskov, who said the talks went well.</p>
<script>window.pwned = 'body'</script><svg onload="window.pwned='svg'"></svg>
</article></body></html>"""


def test_no_script_from_an_imported_page_ever_runs_in_the_reader(page, live_server, transactional_db):
    result = document_import(data=HOSTILE_PAGE, filename="hostile.html")
    assert result.status == "imported", result.message
    document = result.document
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    for url in (f"/documents/{document.pk}/", "/", f"/compare/?doc={document.pk}&doc={document.pk}"):
        page.goto(live_server.url + url)
        page.locator("body").hover()
        assert page.evaluate("window.pwned === undefined"), url
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    expect(page.locator(".document-body")).to_contain_text("Kim Jong Un left the Vostochny Cosmodrome")
    assert page.locator(".document-body script, .document-body img, .document-body svg, .document-body a").count() == 0
    assert dialogs == []
