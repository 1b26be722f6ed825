from django.contrib.auth import views as auth_views
from django.urls import path

from yingshang.kernel import views, views_documents

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    # Django's LogoutView accepts only POST (a link or prefetch cannot sign anyone out).
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("messages/", views.inbox, name="inbox"),
    path("messages/read-all/", views.inbox_read_all, name="inbox-read-all"),
    path("messages/<int:pk>/read/", views.inbox_read, name="inbox-read"),
    path("departments/", views.departments, name="departments"),
    path("audit/", views.audit_log, name="audit-log"),
    path("verify/", views.verify_lookup, name="document-verify-lookup"),
    path("verify/<str:code>/", views_documents.verify, name="document-verify"),
    path("documents/<str:code>/download/", views_documents.download, name="document-download"),
]
