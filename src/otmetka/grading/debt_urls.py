"""Routes of academic debts and conditional transfers (added to `grading.urls`)."""

from django.urls import path

from otmetka.grading import debt_views as views

urlpatterns = [
    path("debts/", views.debt_list, name="debts"),
    path("debts/xlsx/", views.debt_xlsx, name="debts_xlsx"),
    path("debts/check/", views.debt_check, name="debts_check"),
    path("debts/<int:debt_id>/", views.debt_card, name="debt"),
    path("debts/<int:debt_id>/retake/", views.retake_add, name="retake_add"),
    path("debts/<int:debt_id>/illness/", views.pause_add, name="pause_add"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/xlsx/", views.transfers_xlsx, name="transfers_xlsx"),
    path("student/<int:student_id>/debts/", views.student_debts, name="student_debts"),
]
