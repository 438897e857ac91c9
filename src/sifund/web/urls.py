"""URL map: pages per concept (``views/*``), the JSON API under /api/v1/, Django admin."""

from django.contrib import admin
from django.urls import include, path

from sifund.web.jsonapi import api
from sifund.web.views import auth, dashboard, payments, reviews, submissions

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include(submissions)),
    path("", include(reviews)),
    path("", include(dashboard)),
    path("", include(payments)),
    path("", include(auth)),
]

handler403 = "sifund.web.views.errors.forbidden"
handler404 = "sifund.web.views.errors.not_found"
handler500 = "sifund.web.views.errors.server_error"
