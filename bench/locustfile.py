"""Issue 14's load test: caseworkers doing a day's mixed work, for locust (run by bench/load_test.py).

Each simulated user signs in through the login form with an account of its own, then, pausing between pages
(LOAD_WAIT, "1,3" seconds by default), opens the dashboard, "my work", the case list, a case, a person, the
header search, reads the API, adds a note to a case and completes one of its own tasks (found on "my work", as a
person would). The accounts, case and person ids and search names come from the JSON file that
bench/load_test.py writes after seeding (LOAD_BENCH_DATA).

Any answer other than the one expected (a 4xx or 5xx, a form shown again, a sign-in that does not leave the login
page) counts as a failure in locust's statistics."""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import urllib.parse

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["LOAD_BENCH_DATA"], encoding="utf-8").read())
WAIT = tuple(float(part) for part in os.environ.get("LOAD_WAIT", "1,3").split(","))
ACCOUNTS = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TASK_LINK = re.compile(r'href="/work/tasks/(\d+)/"')


class Caseworker(HttpUser):
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        self.username = DATA["usernames"][next(ACCOUNTS) % len(DATA["usernames"])]
        self.task_ids: list[str] = []
        self.rng = random.Random(self.username)
        page = self.client.get("/accounts/login/", name="sign in: form")
        with self.client.post("/accounts/login/", name="sign in", catch_response=True, data={
                "csrfmiddlewaretoken": self._token(page.text), "username": self.username,
                "password": DATA["password"]}, headers={"Referer": page.url}) as answer:
            if "/accounts/login/" in answer.url or not answer.history:
                answer.failure(f"sign-in of {self.username} stayed on the login page")

    def _token(self, html: str) -> str:
        match = CSRF.search(html)
        return match.group(1) if match else ""

    def _case(self) -> int:
        return self.rng.choice(DATA["case_ids"])

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(3)
    def my_work(self) -> None:
        page = self.client.get("/work/", name="my work")
        open_work = page.text.split('id="bucket-done"')[0]  # not the tasks completed this week
        self.task_ids = TASK_LINK.findall(open_work) or self.task_ids

    @task(3)
    def case_list(self) -> None:
        self.client.get(f"/cases/?page={self.rng.randint(1, DATA['case_pages'])}", name="case list")

    @task(2)
    def case_page(self) -> None:
        self.client.get(f"/cases/{self._case()}/", name="case page")

    @task(2)
    def person_page(self) -> None:
        self.client.get(f"/people/{self.rng.choice(DATA['person_ids'])}/", name="person page")

    @task(2)
    def search(self) -> None:
        query = urllib.parse.quote(self.rng.choice(DATA["names"]))
        self.client.get(f"/search/?q={query}", name="search")

    @task(3)
    def api_reads(self) -> None:
        self.client.get(f"/api/v1/cases/?page={self.rng.randint(1, DATA['api_case_pages'])}", name="api: cases")
        self.client.get(f"/api/v1/persons/?household={self.rng.choice(DATA['household_ids'])}",
                        name="api: persons of a household")
        self.client.get("/api/v1/tasks/", name="api: tasks")

    @task(1)
    def add_note(self) -> None:
        case = self._case()
        form = self.client.get(f"/cases/{case}/notes/new/", name="note: form")
        with self.client.post(f"/cases/{case}/notes/new/", name="note: add", catch_response=True, data={
                "csrfmiddlewaretoken": self._token(form.text), "body": "Called the family: all well. (load test)"},
                headers={"Referer": form.url}) as answer:
            if not answer.history:  # the form again: the note was refused
                answer.failure("the note form came back instead of the case")

    @task(1)
    def complete_task(self) -> None:
        if not self.task_ids:
            self.my_work()
        if not self.task_ids:
            return
        pk = self.task_ids.pop(0)
        page = self.client.get(f"/work/tasks/{pk}/", name="task: page")
        with self.client.post(f"/work/tasks/{pk}/complete/", name="task: complete", catch_response=True, data={
                "csrfmiddlewaretoken": self._token(page.text), "outcome": "Done during the load test."},
                headers={"Referer": page.url}) as answer:
            if not answer.history:
                answer.failure("completing the task did not go back to its page")
