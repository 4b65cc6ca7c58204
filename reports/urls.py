"""Report pages, mounted at /reports/ (namespace "reports")."""

from django.urls import path

from reports import county, training_pages, training_people, training_rounds, views
from reports.overview import views as overview

app_name = "reports"

urlpatterns = [
    path("grievances/", views.grievance_stats_page, name="grievance_stats"),
    path("grievances/export/", views.grievance_stats_export, name="grievance_stats_export"),
    path("compliance/", views.compliance_page, name="compliance"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
    path("overview/", overview.overview_page, name="overview"),
    path("overview/print/", overview.overview_print, name="overview_print"),
    path("county/", county.county_page, name="county"),
    path("county/export/", county.county_export, name="county_export"),
    path("disputes/", views.dispute_stats_page, name="dispute_stats"),
    path("disputes/export/", views.dispute_stats_export, name="dispute_stats_export"),
    path("training/", views.training_stats_page, name="training_stats"),
    path("training/export/", views.training_stats_export, name="training_stats_export"),
    path("deliberation/", views.deliberation_stats_page, name="deliberation_stats"),
    path("deliberation/export/", views.deliberation_stats_export, name="deliberation_stats_export"),
    path("training/session/<int:pk>/", training_pages.session_attendance, name="training_attendance"),
    path("training/meeting/<int:pk>/", training_pages.meeting_page, name="training_meeting"),
    path("training/rounds/new/", training_rounds.round_batch, name="training_round_batch"),
    path("training/round/<int:pk>/", training_rounds.round_page, name="training_round"),
    path("training/award/<int:pk>/", training_people.award_page, name="training_award"),
    path("training/person/<int:pk>/", training_people.person_record, name="training_person"),
]
