"""Read-only reports: the summary gradesheet of a class and its exports."""

app_name = "reports"
urlpatterns: list = []
