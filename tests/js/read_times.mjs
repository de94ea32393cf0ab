// Print each VEVENT's UID with its start and end as Unix times, as ical.js reads them
// from the calendar on stdin, using only the calendar's own VTIMEZONEs (ical.js has no
// time zone database of its own, like Thunderbird reading a subscribed feed).
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const calendar = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}
const times = {};
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  times[event.uid] = {
    start: event.startDate.toUnixTime(),
    end: event.endDate.toUnixTime(),
    zone: event.startDate.zone.tzid,
  };
}
process.stdout.write(JSON.stringify(times));
