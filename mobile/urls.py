"""Phone pages, mounted at /m/ (namespace "mobile")."""

from django.urls import path

from mobile import deliberation, disputes, revisits, training, views

app_name = "mobile"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.MobileLoginView.as_view(), name="login"),
    path("logout/", views.MobileLogoutView.as_view(), name="logout"),
    path("due/", views.due_list, name="due_list"),
    path("household/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("household/<int:pk>/card/", views.household_card, name="household_card"),
    path("revisits/", revisits.revisit_list, name="revisit_list"),
    path("reported/", revisits.reported_list, name="reported_list"),
    path("grievance/<int:pk>/revisit/", revisits.revisit_create, name="revisit_create"),
    path("compliance/", views.compliance, name="compliance"),
    path("cards/", views.cards_index, name="cards_index"),
    path("cards/<int:pk>/", views.unit_cards, name="unit_cards"),
    path("disputes/", disputes.dispute_home, name="dispute_home"),
    path("household/<int:pk>/risk/", disputes.risk_create, name="risk_create"),
    path("disputes/screening/", disputes.screening_rounds, name="screening_rounds"),
    path("dispute/<int:pk>/revisit/", disputes.dispute_revisit, name="dispute_revisit"),
    path("deliberation/", deliberation.deliberation_home, name="deliberation_home"),
    path("household/<int:pk>/opinion/", deliberation.opinion_create, name="opinion_create"),
    path("training/", training.my_training, name="my_training"),
    path("training/check-in/<str:token>/", training.training_check_in, name="training_check_in"),
]
