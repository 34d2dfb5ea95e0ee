package web

// List is one page of a listing as the API answers it.
type List[T any] struct {
	Items    []T `json:"items"`
	Total    int `json:"total"`
	Page     int `json:"page"`
	PageSize int `json:"page_size"`
}

// Items is a whole (short) listing as the API answers it.
type Items[T any] struct {
	Items []T `json:"items"`
}
