//! A pasted comment thread into its comments, as a browser copies the common shapes: a
//! WordPress blog ("N thoughts on …", "Reply" after each comment, replies as indented bullets),
//! Reddit ("level 2", "Upvote", "Share"), Disqus ("•", "Share ›"), YouTube ("@name", "3 years
//! ago", "Reply", "View 4 replies"), or plain text with one comment per paragraph.
//!
//! The post itself is not a comment: when the paste holds a "N comments" or "N thoughts on"
//! line, everything before it is dropped; a "Leave a Reply" form after the comments is dropped
//! too. Lines of page furniture (buttons, vote counts, author and date lines) end one comment
//! and are not part of any; an author line is remembered so "@name" replies can be linked.
//! This module only cuts text: it knows nothing about soundtracks.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How the paste was read, shown to the curator so a wrong guess is visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    WordPress,
    Reddit,
    Disqus,
    YouTube,
    /// No page furniture: one comment per paragraph.
    Paragraphs,
}

/// One comment of the thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Comment {
    /// 1 for the first comment after the post.
    pub index: u32,
    /// The commenter, when the paste names one.
    pub author: Option<String>,
    /// The comment's words, its lines as written (bullets of the page's list taken off).
    pub text: String,
    /// The comment this one answers, when the paste shows it (indentation, "level N", "@name").
    pub reply_to: Option<u32>,
}

/// The comments of a thread and the shape it was read as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Thread {
    pub shape: Shape,
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Blank,
    Content,
    /// A button or count: "Reply", "Share ›", "12", "•", "Upvote".
    Chrome,
    /// An author or date line; `Some` when it names the author.
    Header(Option<String>),
    /// Reddit's "level 3": the next comment's depth.
    Level(u32),
    /// "32 thoughts on …", "245 comments": the post ends here.
    PostEnd,
    /// "Leave a Reply", "Post Comment": the comment form after the thread.
    Footer,
}

#[derive(Debug)]
struct Line<'a> {
    kind: Kind,
    /// The line with its page bullet taken off.
    body: &'a str,
    /// Leading whitespace (a tab counts four) plus two for a page bullet: replies are indented.
    indent: usize,
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the splitter's patterns are valid")
}

const MONTH: &str = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?";

static POST_END: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^(?:\d[\d,.]*k?\s+(?:thoughts?|comments?|responses?|replies)(?:\s+(?:on|to)\b.*)?|(?:comments|discussion|responses)(?:\s*\(\d+\))?:?|sort by:?.*|join the conversation|add a comment)$",
    )
});
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)^(?:leave a (?:reply|comment)(?: cancel reply)?|cancel reply|post comment|submit comment|your email address will not be published.*|you must be logged in to post a comment.*|notify me of (?:follow-up|new) (?:comments|posts).*)$",
    )
});
static CHROME: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?ix)^(?:
            reply|replies|log\s?in\ to\ reply|reply\ to\ this\ comment|share|report|save|saved|follow|
            upvote|downvote|vote|votes|award|give\ award|like|likes|liked|unlike|dislike|edit|
            edited|delete|flag|permalink|embed|parent|context|full\ comments|show\ more|
            show\ less|read\ more|see\ more|hide\ replies|hide|more\ replies|continue\ this\ thread|
            view\ reply|translate\ to\ english|show\ translation|collapse|expand|op|mod|pinned|
            pinned\ by\ .{1,40}|avatar|best|top|new|newest|oldest|controversial|old|q\ a|
            search\ comments|expand\ comment\ search|load\ more\ comments|load\ more\ replies|
            no\ comments|top\ comments|newest\ first|creator|highlighted\ reply|
            permalinkembedsave(?:parent)?reportreply|permalinksavecontextfull\ comments|
            (?:reply\ )?share|like\ reply|reply\ share|upvote\ (?:\d[\d,.]*[km]?\ )?downvote|
            (?:\d[\d,.]*[km]?\ )?(?:points?|votes?|likes?|replies|reply|upvotes?)|score\ hidden|
            (?:view|show|load|hide)(?:\ all)?(?:\ \d+)?(?:\ more)?\ (?:replies|reply|comments?)|
            \d+\ more\ (?:replies|reply|comments?)|\d[\d,.]*[km]?
        )$",
    )
});
static LEVEL: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)^level\s+(\d{1,2})$"));
static SAYS: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)^(.{1,60}?)\s+(?:says|said|wrote):?$"));
static OLD_REDDIT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)^\[[-–+]\]\s*(\S+)\s.*?(?:\d+\s+points?|score hidden).*$"));
static HANDLE: LazyLock<Regex> = LazyLock::new(|| regex(r"^@[\w.\-]{2,40}$"));
/// A date or a time ago at the end of a line, with anything before it read as the author.
static WHEN: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?ix)^(.*?)[\s•·|\-–—,]*(?:on\s+)?\b(?:
            (?:about|over|almost)?\s*(?:\d+|an?|one)\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|mos|months?|y|yrs?|years?)\.?(?:\s+ago)?|
            just\ now|yesterday|today|
            {MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|
            \d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}|
            \d{{4}}-\d{{2}}-\d{{2}}|
            \d{{1,2}}/\d{{1,2}}/\d{{2,4}}
        )(?:,?\s*(?:at|@)?\s*\d{{1,2}}:\d{{2}}(?:\s*[ap]\.?m\.?)?)?(?:\s*[•·]?\s*\(?edited\)?)?$"
    ))
});

/// A page bullet at the start of a line: the list a blog renders its comments in.
const PAGE_BULLETS: &[char] = &['•', '◦', '▪', '‣', '●', '○', '■', '□'];

fn classify(raw: &str) -> Line<'_> {
    let indent: usize = raw
        .chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    let trimmed = raw.trim();
    let (body, bullet) = match trimmed.strip_prefix(PAGE_BULLETS) {
        Some(rest) if !rest.trim().is_empty() => (rest.trim(), 2),
        _ => (trimmed, 0),
    };
    let kind = kind_of(body);
    Line {
        kind,
        body,
        indent: indent + bullet,
    }
}

fn kind_of(body: &str) -> Kind {
    if body.is_empty() {
        return Kind::Blank;
    }
    // "+1", "^" and emoji are a person agreeing, not furniture.
    if body.starts_with('+') && body[1..].chars().all(|c| c.is_ascii_digit()) && body.len() > 1
        || body.chars().all(|c| c == '^')
    {
        return Kind::Content;
    }
    if POST_END.is_match(body) {
        return Kind::PostEnd;
    }
    if FOOTER.is_match(body) {
        return Kind::Footer;
    }
    if let Some(level) = LEVEL.captures(body) {
        return Kind::Level(level[1].parse().unwrap_or(1));
    }
    if HANDLE.is_match(body) {
        return Kind::Header(Some(body.to_owned()));
    }
    if let Some(says) = SAYS.captures(body) {
        return Kind::Header(Some(says[1].trim().to_owned()));
    }
    if let Some(old) = OLD_REDDIT.captures(body) {
        return Kind::Header(Some(old[1].to_owned()));
    }
    if let Some(when) = WHEN.captures(body) {
        let author = when[1]
            .trim()
            .trim_end_matches(|c: char| "•·|-–—,".contains(c) || c.is_whitespace())
            .trim_end_matches(" OP")
            .trim();
        let author = (!author.is_empty() && author_like(author)).then(|| author.to_owned());
        // A sentence that happens to end in a date is a comment, not a header.
        if author.is_some() || when[1].trim().is_empty() {
            return Kind::Header(author);
        }
    }
    let normalised: String = body
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == ',' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let normalised = normalised.split_whitespace().collect::<Vec<_>>().join(" ");
    if normalised.is_empty() || CHROME.is_match(&normalised) {
        return Kind::Chrome;
    }
    Kind::Content
}

/// Could this short line be a commenter's name ("Jonathan Lewis", "rob_k", "u/grunge4ever")?
fn name_like(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    // "Dana K." and "Bob Jr." end with a full stop; a sentence does not end on an initial.
    let initial = words
        .last()
        .is_some_and(|w| w.len() <= 3 && w.ends_with('.'));
    line.chars().count() <= 40
        && (1..=5).contains(&words.len())
        && (initial || !line.ends_with(['.', '!', '?', ':', ',', ';']))
        && !line.starts_with(['"', '“', '('])
}

/// A name before a date ("Jen R. • 5 years ago"): one word, or a few that each start with a
/// capital, so "I saw it on May 13, 1994" stays a sentence.
fn author_like(prefix: &str) -> bool {
    let words: Vec<&str> = prefix.split_whitespace().collect();
    name_like(prefix)
        && (words.len() == 1
            || words.len() <= 3
                && words
                    .iter()
                    .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase())))
}

/// A run of content lines between two lines of page furniture.
#[derive(Debug, Default)]
struct Segment<'a> {
    lines: Vec<&'a Line<'a>>,
    author: Option<String>,
    level: Option<u32>,
    /// The name of the commenter this one answers, when the page shows it (Disqus).
    replying_to: Option<String>,
}

impl Segment<'_> {
    fn has_content(&self) -> bool {
        self.lines.iter().any(|l| l.kind == Kind::Content)
    }
}

/// Splits a pasted thread into its comments.
pub fn split(text: &str) -> Thread {
    let lines: Vec<Line<'_>> = text.lines().map(classify).collect();
    let start = lines
        .iter()
        .position(|l| l.kind == Kind::PostEnd)
        .map_or(0, |i| i + 1);
    let first_content = lines[start..]
        .iter()
        .position(|l| l.kind == Kind::Content)
        .map_or(lines.len(), |i| start + i);
    let end = lines[first_content..]
        .iter()
        .position(|l| l.kind == Kind::Footer)
        .map_or(lines.len(), |i| first_content + i);
    let body = &lines[start..end];
    let structured = body
        .iter()
        .any(|l| matches!(l.kind, Kind::Chrome | Kind::Header(_) | Kind::Level(_)));
    let shape = shape_of(body, structured);
    let segments = if structured {
        structured_segments(body)
    } else {
        paragraphs(body)
    };
    let mut comments: Vec<Comment> = Vec::new();
    let mut indents: Vec<usize> = Vec::new();
    let mut levels: Vec<Option<u32>> = Vec::new();
    let mut answered_names: Vec<Option<String>> = Vec::new();
    for segment in segments {
        let text = segment_text(&segment);
        if text.is_empty() {
            continue;
        }
        indents.push(
            segment
                .lines
                .iter()
                .find(|l| l.kind == Kind::Content)
                .map_or(0, |l| l.indent),
        );
        levels.push(segment.level);
        answered_names.push(segment.replying_to);
        comments.push(Comment {
            index: comments.len() as u32 + 1,
            author: segment.author,
            text,
            reply_to: None,
        });
    }
    link_replies(&mut comments, &indents, &levels, &answered_names);
    Thread { shape, comments }
}

fn shape_of(body: &[Line<'_>], structured: bool) -> Shape {
    if !structured {
        return Shape::Paragraphs;
    }
    let count = |test: &dyn Fn(&Line<'_>) -> bool| body.iter().filter(|l| test(l)).count();
    let lower = |l: &Line<'_>| l.body.to_lowercase();
    let reddit = count(&|l| {
        matches!(l.kind, Kind::Level(_))
            || ["upvote", "downvote", "permalink"]
                .iter()
                .any(|w| lower(l).starts_with(w))
            || OLD_REDDIT.is_match(l.body)
    });
    let youtube = count(&|l| {
        HANDLE.is_match(l.body) || {
            let text = lower(l);
            text.ends_with("replies") && text.starts_with("view") || text == "read more"
        }
    });
    let disqus = count(&|l| {
        let text = lower(l);
        text == "share ›" || text == "see more" || text == "•" || text == "avatar"
    });
    let wordpress = count(&|l| {
        let text = lower(l);
        text == "reply"
            || text.ends_with(" says:")
            || text.contains(" at ") && l.kind != Kind::Content
    });
    let best = [
        (reddit, Shape::Reddit),
        (youtube, Shape::YouTube),
        (disqus, Shape::Disqus),
        (wordpress, Shape::WordPress),
    ]
    .into_iter()
    .max_by_key(|(n, _)| *n)
    .filter(|(n, _)| *n > 0);
    best.map_or(Shape::WordPress, |(_, shape)| shape)
}

/// Comments separated by furniture: blank lines inside one are its paragraphs.
fn structured_segments<'a>(body: &'a [Line<'a>]) -> Vec<Segment<'a>> {
    let mut segments: Vec<Segment<'a>> = Vec::new();
    let mut current = Segment::default();
    let mut pending = Segment::default();
    // Only separators ("•", "·") since the last segment ended: Reddit and Disqus put one
    // between a commenter's name and the date, so that segment may be a name.
    let mut separators_only = false;
    for line in body {
        match &line.kind {
            Kind::Content => {
                separators_only = false;
                if !current.has_content() {
                    current.author = current.author.take().or_else(|| pending.author.take());
                    current.level = current.level.or(pending.level.take());
                    current.replying_to = pending.replying_to.take();
                }
                current.lines.push(line);
            }
            Kind::Blank => {
                if current.has_content() {
                    current.lines.push(line);
                }
            }
            Kind::Header(author) => {
                // "Jonathan Lewis" above "July 13, 2019 at 9:37 am": the line before a date
                // that names no one is the author, not the end of the last comment.
                let mut author = author.clone();
                if author.is_none() {
                    author = take_name_line(&mut current);
                }
                if author.is_none() && !current.has_content() && separators_only {
                    if let Some((name, replying, level)) = segments.last().and_then(names_of) {
                        segments.pop();
                        author = Some(name);
                        pending.replying_to = replying;
                        pending.level = pending.level.or(level);
                    }
                }
                finish(&mut segments, &mut current);
                pending.author = author.or(pending.author.take());
                separators_only = false;
            }
            Kind::Level(level) => {
                finish(&mut segments, &mut current);
                pending.level = Some(*level);
                separators_only = false;
            }
            Kind::Chrome | Kind::PostEnd | Kind::Footer => {
                let ended = current.has_content();
                finish(&mut segments, &mut current);
                let separator = line.body.chars().all(|c| !c.is_alphanumeric());
                separators_only = separator && (ended || separators_only);
            }
        }
    }
    finish(&mut segments, &mut current);
    segments
}

/// A segment of one or two short lines that read as names: a commenter, and on Disqus the
/// commenter they answer. Returns them with the segment's Reddit level.
fn names_of(segment: &Segment<'_>) -> Option<(String, Option<String>, Option<u32>)> {
    let lines: Vec<&str> = segment.lines.iter().map(|l| l.body).collect();
    if segment.lines.iter().any(|l| l.kind == Kind::Blank) || !lines.iter().all(|l| name_like(l)) {
        return None;
    }
    match lines.as_slice() {
        [name] => Some(((*name).to_owned(), None, segment.level)),
        [name, answered] => Some((
            (*name).to_owned(),
            Some((*answered).to_owned()),
            segment.level,
        )),
        _ => None,
    }
}

/// Takes a lone short line off the end of `segment` when it reads as a name: the only line of
/// the segment, or one set apart from the comment above it by a blank line.
fn take_name_line(segment: &mut Segment<'_>) -> Option<String> {
    while segment.lines.last().is_some_and(|l| l.kind == Kind::Blank) {
        segment.lines.pop();
    }
    let last = segment.lines.last()?;
    let alone =
        segment.lines.len() == 1 || segment.lines[segment.lines.len() - 2].kind == Kind::Blank;
    if alone && name_like(last.body) {
        let name = last.body.to_owned();
        segment.lines.pop();
        return Some(name);
    }
    None
}

fn finish<'a>(segments: &mut Vec<Segment<'a>>, current: &mut Segment<'a>) {
    let done = std::mem::take(current);
    if done.has_content() {
        segments.push(done);
    } else {
        // A name or level whose comment has not started yet carries over.
        current.author = done.author;
        current.level = done.level;
        current.replying_to = done.replying_to;
    }
}

/// Plain text: one comment per paragraph.
fn paragraphs<'a>(body: &'a [Line<'a>]) -> Vec<Segment<'a>> {
    let mut segments = Vec::new();
    let mut current = Segment::default();
    for line in body {
        if line.kind == Kind::Blank {
            if current.has_content() {
                segments.push(std::mem::take(&mut current));
            }
        } else {
            current.lines.push(line);
        }
    }
    if current.has_content() {
        segments.push(current);
    }
    segments
}

fn segment_text(segment: &Segment<'_>) -> String {
    let mut text = String::new();
    let mut blank = false;
    for line in &segment.lines {
        if line.kind == Kind::Blank {
            blank = true;
            continue;
        }
        if !text.is_empty() {
            text.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        text.push_str(line.body);
    }
    text
}

/// Who answers whom: Reddit's levels, else indentation when the paste kept it (replies sit
/// deeper than what they answer), else the name of an earlier commenter that the page shows
/// (Disqus) or that opens the comment ("@name").
fn link_replies(
    comments: &mut [Comment],
    indents: &[usize],
    levels: &[Option<u32>],
    answered_names: &[Option<String>],
) {
    let depths: Vec<usize> = if levels.iter().any(Option::is_some) {
        levels
            .iter()
            .map(|level| level.map_or(0, |l| l.saturating_sub(1) as usize))
            .collect()
    } else {
        let mut distinct: Vec<usize> = indents.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        indents
            .iter()
            .map(|indent| distinct.iter().position(|d| d == indent).unwrap_or(0))
            .collect()
    };
    for index in 0..comments.len() {
        let depth = depths[index];
        let mut reply_to = None;
        if depth > 0 {
            reply_to = (0..index)
                .rev()
                .find(|&earlier| depths[earlier] < depth)
                .map(|earlier| comments[earlier].index);
        }
        if reply_to.is_none() {
            reply_to = answered_by_name(comments, index, answered_names[index].as_deref());
        }
        comments[index].reply_to = reply_to;
    }
}

/// "@rob_k thanks", "@Rob, +1", or a name the page put beside the comment: the latest
/// earlier comment by that name.
fn answered_by_name(comments: &[Comment], index: usize, shown: Option<&str>) -> Option<u32> {
    let name: String = match shown {
        Some(name) => name.trim_start_matches('@').to_owned(),
        None => comments[index]
            .text
            .trim_start()
            .strip_prefix('@')?
            .chars()
            .take_while(|c| c.is_alphanumeric() || "_.-".contains(*c))
            .collect(),
    };
    if name.is_empty() {
        return None;
    }
    let wanted = name.to_lowercase();
    comments[..index].iter().rev().find_map(|earlier| {
        let author = earlier
            .author
            .as_deref()?
            .trim_start_matches('@')
            .to_lowercase();
        let first_word = author.split_whitespace().next().unwrap_or("").to_owned();
        (author == wanted || first_word == wanted || author.replace(' ', "") == wanted)
            .then_some(earlier.index)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(thread: &Thread) -> Vec<&str> {
        thread.comments.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn wordpress_with_the_post_authors_dates_replies_and_the_form() {
        let paste = "\
Weekly survey: the best soundtrack?

Here are a few of my favourites:
  • Clerks
  • Empire Records

What do you think?

14 thoughts on “Weekly survey: the best soundtrack?”

  • Dana K.
    March 3, 2021 at 9:12 am

    Singles, no contest.

    The Crow is close behind.

    Reply
      ◦ Alan
        March 3, 2021 at 10:01 am

        You read my mind!!

        Reply
  • Mo says:
    March 4, 2021 at 8:00 pm

    Trainspotting for me.

    Reply

Leave a Reply Cancel reply

Your email address will not be published. Required fields are marked *
";
        let thread = split(paste);
        assert_eq!(thread.shape, Shape::WordPress);
        assert_eq!(
            texts(&thread),
            [
                "Singles, no contest.\n\nThe Crow is close behind.",
                "You read my mind!!",
                "Trainspotting for me."
            ],
            "the post and its list are not comments; the form is dropped"
        );
        let authors: Vec<_> = thread.comments.iter().map(|c| c.author.clone()).collect();
        assert_eq!(
            authors,
            [
                Some("Dana K.".into()),
                Some("Alan".into()),
                Some("Mo".into())
            ]
        );
        assert_eq!(thread.comments[1].reply_to, Some(1), "indented deeper");
        assert_eq!(thread.comments[2].reply_to, None);
    }

    #[test]
    fn wordpress_as_a_bare_list_with_reply_after_each() {
        let paste = "32 thoughts on “Survey”\n\n  • Dunno about “best” but Baby Driver.\n\n    Reply\n  • I love the “Pretty In Pink” soundtrack.\n\n    Reply\n      • +1\n\n        Reply\n";
        let thread = split(paste);
        assert_eq!(
            texts(&thread),
            [
                "Dunno about “best” but Baby Driver.",
                "I love the “Pretty In Pink” soundtrack.",
                "+1"
            ]
        );
        assert_eq!(thread.comments[2].reply_to, Some(2));
    }

    #[test]
    fn reddit_new_and_old() {
        let paste = "\
r/movies
Best alt-rock soundtrack?
245 comments
Sort by:
Best
level 1
grunge_kid
·
3 yr. ago
Singles. Easily.
142
Reply
Share
level 2
quietstorm
·
3 yr. ago
this
12
Reply
level 1
[–]oldtimer 40 points 3 years ago
Lost Highway
permalinkembedsavereportreply
";
        let thread = split(paste);
        assert_eq!(thread.shape, Shape::Reddit);
        assert_eq!(texts(&thread), ["Singles. Easily.", "this", "Lost Highway"]);
        assert_eq!(thread.comments[0].author.as_deref(), Some("grunge_kid"));
        assert_eq!(thread.comments[1].reply_to, Some(1));
        assert_eq!(thread.comments[2].reply_to, None);
        assert_eq!(thread.comments[2].author.as_deref(), Some("oldtimer"));
    }

    #[test]
    fn disqus() {
        let paste = "\
12 Comments
Sort by Best
Avatar
Jen R.
•
5 years ago
Garden State changed my life.
see more
7
•
Reply
•
Share ›
Avatar
Pat
Jen R.
•
5 years ago
Same here!
•
Reply
•
Share ›
";
        let thread = split(paste);
        assert_eq!(thread.shape, Shape::Disqus);
        assert_eq!(
            texts(&thread),
            ["Garden State changed my life.", "Same here!"]
        );
        assert_eq!(thread.comments[0].author.as_deref(), Some("Jen R."));
        assert_eq!(thread.comments[1].author.as_deref(), Some("Pat"));
        assert_eq!(
            thread.comments[1].reply_to,
            Some(1),
            "Disqus names whom Pat answers"
        );
    }

    #[test]
    fn youtube_with_handles_and_at_replies() {
        let paste = "\
1,024 Comments
Sort by
@filmnerd88
3 years ago
The Crow soundtrack is untouchable
Read more
1.2K
Reply
View 3 replies
@mixtape_mel
2 years ago (edited)
@filmnerd88 this
40
Reply
";
        let thread = split(paste);
        assert_eq!(thread.shape, Shape::YouTube);
        assert_eq!(
            texts(&thread),
            ["The Crow soundtrack is untouchable", "@filmnerd88 this"]
        );
        assert_eq!(thread.comments[1].author.as_deref(), Some("@mixtape_mel"));
        assert_eq!(thread.comments[1].reply_to, Some(1), "the @name it answers");
    }

    #[test]
    fn plain_paragraphs_keep_their_lists() {
        let paste = "Singles for sure.\n\nMy top three:\n1. The Crow\n2. Singles\n3. Trainspotting\n\n  \n+1\n";
        let thread = split(paste);
        assert_eq!(thread.shape, Shape::Paragraphs);
        assert_eq!(
            texts(&thread),
            [
                "Singles for sure.",
                "My top three:\n1. The Crow\n2. Singles\n3. Trainspotting",
                "+1"
            ]
        );
        assert!(thread.comments.iter().all(|c| c.reply_to.is_none()));
    }

    #[test]
    fn a_comment_that_mentions_comments_or_dates_is_still_a_comment() {
        let paste = "10 comments in and nobody said Singles?\n\nI saw The Crow on May 13, 1994 at the Capitol\n";
        let thread = split(paste);
        assert_eq!(thread.comments.len(), 2);
        assert_eq!(thread.shape, Shape::Paragraphs);
    }

    #[test]
    fn nothing_to_split() {
        assert!(split("").comments.is_empty());
        assert!(split("\n\n  \nReply\nShare\n").comments.is_empty());
    }
}
