"""Report pages, mounted at /reports/ (namespace "reports")."""

from django.urls import path

from reports import county, views

app_name = "reports"

urlpatterns = [
    path("grievances/", views.grievance_stats_page, name="grievance_stats"),
    path("grievances/export/", views.grievance_stats_export, name="grievance_stats_export"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
    path("county/", county.county_page, name="county"),
    path("county/export/", county.county_export, name="county_export"),
    path("disputes/", views.dispute_stats_page, name="dispute_stats"),
    path("disputes/export/", views.dispute_stats_export, name="dispute_stats_export"),
]
