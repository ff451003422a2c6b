from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("admin/", admin.site.urls),
    # set_language (the switch on every page) and the scripts' catalogue (locale/*/djangojs.po).
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("game.web.urls")),
    path("", include("game.urls")),
    path("", include("game.replays.urls")),
]
